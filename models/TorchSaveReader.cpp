#include "TorchSaveReader.h"

#include "ZipChecksums.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>
#include <stdexcept>

namespace cassava {
namespace {

[[noreturn]] void fail(const std::string& message)
{
    throw std::runtime_error(message);
}

// LibTorch's MemoryReadAdapter copies whatever a damaged zip directory asks for, past the end of
// the buffer; this one returns short reads instead, which the zip reader reports as an error.
class BoundedMemoryAdapter : public caffe2::serialize::ReadAdapterInterface {
public:
    explicit BoundedMemoryAdapter(const std::string& bytes) : bytes_(bytes) {}
    size_t size() const override { return bytes_.size(); }
    size_t read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const override
    {
        if (pos >= bytes_.size())
            return 0;
        n = std::min<size_t>(n, bytes_.size() - static_cast<size_t>(pos));
        std::memcpy(buf, bytes_.data() + pos, n);
        return n;
    }

private:
    const std::string& bytes_;
};

std::unique_ptr<caffe2::serialize::PyTorchStreamReader> openZip(const std::string& bytes)
{
    // What the reader's constructor would refuse, refused before it allocates anything it leaks.
    if (const std::string problem = pytorchArchiveProblem(bytes); !problem.empty())
        throw std::runtime_error(problem);
    return std::make_unique<caffe2::serialize::PyTorchStreamReader>(std::make_shared<BoundedMemoryAdapter>(bytes));
}

// A Python object as far as a state_dict needs one.
struct Value {
    enum Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Tensor, Global, Storage } kind = None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    std::string text;                           // String; "module.name" of a Global
    std::vector<std::shared_ptr<Value>> items;  // Tuple, List; Dict: key, value, key, value...
    torch::Tensor tensor;                       // Tensor; Storage: the whole storage, 1-D
};
using ValuePtr = std::shared_ptr<Value>;

ValuePtr make(Value::Kind kind)
{
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

ValuePtr makeInt(int64_t i)
{
    auto v = make(Value::Int);
    v->integer = i;
    return v;
}

ValuePtr makeString(std::string s)
{
    auto v = make(Value::String);
    v->text = std::move(s);
    return v;
}

torch::ScalarType storageType(const std::string& global)
{
    static const std::map<std::string, torch::ScalarType> types = {
        {"torch.FloatStorage", torch::kFloat},   {"torch.DoubleStorage", torch::kDouble},
        {"torch.HalfStorage", torch::kHalf},     {"torch.BFloat16Storage", torch::kBFloat16},
        {"torch.LongStorage", torch::kLong},     {"torch.IntStorage", torch::kInt},
        {"torch.ShortStorage", torch::kShort},   {"torch.CharStorage", torch::kChar},
        {"torch.ByteStorage", torch::kByte},     {"torch.BoolStorage", torch::kBool},
        {"torch.UntypedStorage", torch::kByte},
    };
    const auto it = types.find(global);
    if (it == types.end())
        fail("unsupported tensor storage type " + global);
    return it->second;
}

std::vector<int64_t> intTuple(const ValuePtr& v, const char* what)
{
    if (v->kind != Value::Tuple && v->kind != Value::List)
        fail(std::string("tensor ") + what + " is not a tuple");
    std::vector<int64_t> out;
    for (const auto& item : v->items) {
        if (item->kind != Value::Int)
            fail(std::string("tensor ") + what + " holds a non-integer");
        out.push_back(item->integer);
    }
    return out;
}

class Unpickler {
public:
    Unpickler(const char* data, size_t size, caffe2::serialize::PyTorchStreamReader& zip)
        : data_(data), size_(size), zip_(zip)
    {
    }

    ValuePtr run()
    {
        while (true) {
            const auto op = static_cast<unsigned char>(readBytes(1)[0]);
            switch (op) {
            case 0x80: readBytes(1); break;                   // PROTO
            case 0x95: readBytes(8); break;                   // FRAME
            case '.': return pop();                           // STOP
            case '(': marks_.push_back(stack_.size()); break;  // MARK
            case '0': pop(); break;                           // POP
            case '1': popMark(); break;                       // POP_MARK
            case '2': push(top()); break;                     // DUP
            case 'N': push(make(Value::None)); break;
            case 0x88:
            case 0x89: {  // NEWTRUE, NEWFALSE
                auto v = make(Value::Bool);
                v->boolean = op == 0x88;
                push(v);
                break;
            }
            case 'K': push(makeInt(readUnsigned(1))); break;  // BININT1
            case 'M': push(makeInt(readUnsigned(2))); break;  // BININT2
            case 'J': push(makeInt(static_cast<int32_t>(readUnsigned(4)))); break;  // BININT
            case 0x8a: push(makeInt(readLong(readUnsigned(1)))); break;             // LONG1
            case 'G': {  // BINFLOAT, big-endian
                const char* p = readBytes(8);
                uint64_t bits = 0;
                for (int i = 0; i < 8; ++i)
                    bits = (bits << 8) | static_cast<unsigned char>(p[i]);
                auto v = make(Value::Float);
                std::memcpy(&v->real, &bits, 8);
                push(v);
                break;
            }
            case 'X': case 'T': case 'B': push(readString(4)); break;  // BINUNICODE, BINSTRING, BINBYTES
            case 0x8c: case 'U': case 'C': push(readString(1)); break;  // SHORT_BINUNICODE, -STRING, -BYTES
            case 0x8d: case 0x8e: push(readString(8)); break;           // BINUNICODE8, BINBYTES8
            case ')': push(make(Value::Tuple)); break;                  // EMPTY_TUPLE
            case 't': push(collect(Value::Tuple, popMark())); break;    // TUPLE
            case 0x85: case 0x86: case 0x87: {                          // TUPLE1-3
                const size_t n = op - 0x84u;
                if (stack_.size() < n + base())
                    fail("pickle stack underflow");
                std::vector<ValuePtr> items(stack_.end() - static_cast<long>(n), stack_.end());
                stack_.resize(stack_.size() - n);
                push(collect(Value::Tuple, items));
                break;
            }
            case ']': push(make(Value::List)); break;                // EMPTY_LIST
            case 'l': push(collect(Value::List, popMark())); break;  // LIST
            case 'a': {                                              // APPEND
                auto item = pop();
                container(Value::List)->items.push_back(item);
                break;
            }
            case 'e': {  // APPENDS
                auto items = popMark();
                auto& list = container(Value::List)->items;
                list.insert(list.end(), items.begin(), items.end());
                break;
            }
            case '}': push(make(Value::Dict)); break;  // EMPTY_DICT
            case 'd': {                                // DICT
                auto items = popMark();
                if (items.size() % 2)
                    fail("odd number of dict items");
                push(collect(Value::Dict, items));
                break;
            }
            case 's': {  // SETITEM
                auto value = pop();
                auto key = pop();
                setItem(container(Value::Dict), key, value);
                break;
            }
            case 'u': {  // SETITEMS
                auto items = popMark();
                if (items.size() % 2)
                    fail("odd number of dict items");
                auto dict = container(Value::Dict);
                for (size_t i = 0; i < items.size(); i += 2)
                    setItem(dict, items[i], items[i + 1]);
                break;
            }
            case 'c': {  // GLOBAL "module\nname\n"
                const std::string module = readLine();
                const std::string name = readLine();
                push(global(module, name));
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                auto name = pop();
                auto module = pop();
                if (module->kind != Value::String || name->kind != Value::String)
                    fail("malformed STACK_GLOBAL");
                push(global(module->text, name->text));
                break;
            }
            case 'R': {  // REDUCE
                auto args = pop();
                auto callable = pop();
                push(reduce(callable, args));
                break;
            }
            case 0x81: {  // NEWOBJ: cls.__new__(cls, *args), only ever a Python class here
                pop();
                auto cls = pop();
                fail("the file pickles a Python object of class " +
                     (cls->kind == Value::Global ? cls->text : std::string("?")) +
                     ", not plain tensors and containers");
            }
            case 'b': {  // BUILD: the state of an OrderedDict (_metadata) or tensor is not needed
                pop();
                const auto kind = top()->kind;
                if (kind != Value::Dict && kind != Value::Tensor)
                    fail("cannot restore the state of a pickled object");
                break;
            }
            case 'Q': push(persistent(pop())); break;                  // BINPERSID
            case 'q': memo_[readUnsigned(1)] = top(); break;           // BINPUT
            case 'r': memo_[readUnsigned(4)] = top(); break;           // LONG_BINPUT
            case 0x94: memo_[memo_.size()] = top(); break;             // MEMOIZE
            case 'h': push(memo(readUnsigned(1))); break;              // BINGET
            case 'j': push(memo(readUnsigned(4))); break;              // LONG_BINGET
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", op);
                fail(std::string("unsupported pickle opcode ") + hex + " at byte " + std::to_string(pos_ - 1));
            }
            }
        }
    }

private:
    const char* readBytes(size_t n)
    {
        if (n > size_ - pos_)
            fail("the pickle ends unexpectedly");
        const char* p = data_ + pos_;
        pos_ += n;
        return p;
    }

    uint64_t readUnsigned(size_t n)
    {
        const char* p = readBytes(n);
        uint64_t value = 0;
        for (size_t i = 0; i < n; ++i)
            value |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
        return value;
    }

    int64_t readLong(uint64_t n)
    {
        if (n > 8)
            fail("integer too large");
        if (n == 0)
            return 0;
        uint64_t value = readUnsigned(static_cast<size_t>(n));
        if (n < 8 && (value >> (8 * n - 1)) & 1)  // sign-extend two's complement
            value |= ~uint64_t(0) << (8 * n);
        return static_cast<int64_t>(value);
    }

    ValuePtr readString(size_t lengthBytes)
    {
        const uint64_t length = readUnsigned(lengthBytes);
        if (length > size_ - pos_)
            fail("the pickle ends unexpectedly");
        return makeString(std::string(readBytes(static_cast<size_t>(length)), static_cast<size_t>(length)));
    }

    std::string readLine()
    {
        const void* end = std::memchr(data_ + pos_, '\n', size_ - pos_);
        if (!end)
            fail("the pickle ends unexpectedly");
        const size_t length = static_cast<const char*>(end) - (data_ + pos_);
        std::string line(data_ + pos_, length);
        pos_ += length + 1;
        return line;
    }

    size_t base() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(ValuePtr v) { stack_.push_back(std::move(v)); }
    ValuePtr top() const
    {
        if (stack_.size() <= base())
            fail("pickle stack underflow");
        return stack_.back();
    }
    ValuePtr pop()
    {
        auto v = top();
        stack_.pop_back();
        return v;
    }
    std::vector<ValuePtr> popMark()
    {
        if (marks_.empty())
            fail("pickle mark missing");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> items(stack_.begin() + static_cast<long>(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    ValuePtr memo(uint64_t index) const
    {
        const auto it = memo_.find(index);
        if (it == memo_.end())
            fail("pickle memo entry missing");
        return it->second;
    }
    ValuePtr container(Value::Kind kind) const
    {
        auto v = top();
        if (v->kind != kind)
            fail(kind == Value::Dict ? "SETITEM on a non-dict" : "APPEND on a non-list");
        return v;
    }

    static ValuePtr collect(Value::Kind kind, std::vector<ValuePtr> items)
    {
        auto v = make(kind);
        v->items = std::move(items);
        return v;
    }

    static void setItem(const ValuePtr& dict, const ValuePtr& key, const ValuePtr& value)
    {
        dict->items.push_back(key);
        dict->items.push_back(value);
    }

    static ValuePtr global(const std::string& module, const std::string& name)
    {
        auto v = make(Value::Global);
        v->text = module + "." + name;
        return v;
    }

    ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args)
    {
        if (callable->kind != Value::Global || args->kind != Value::Tuple)
            fail("malformed REDUCE");
        const std::string& name = callable->text;
        const auto& a = args->items;
        if (name == "collections.OrderedDict")
            return make(Value::Dict);
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
            if (a.size() < 4 || a[0]->kind != Value::Storage || a[1]->kind != Value::Int)
                fail("malformed tensor record");
            return rebuildTensor(a[0]->tensor, a[1]->integer, intTuple(a[2], "size"), intTuple(a[3], "stride"));
        }
        if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != Value::Tensor)
                fail("malformed parameter record");
            return a[0];
        }
        // torch::pickle_save's typed containers: restore_type_tag(value, type), build_intlist([...]), ...
        if (name == "torch.jit._pickle.restore_type_tag" || name == "torch.jit._pickle.build_intlist" ||
            name == "torch.jit._pickle.build_floatlist" || name == "torch.jit._pickle.build_boollist" ||
            name == "torch.jit._pickle.build_tensorlist" || name == "torch.jit._pickle.build_doublelist") {
            if (a.empty())
                fail("malformed " + name);
            return a[0];
        }
        fail("the file pickles a Python object of class " + name + ", not plain tensors and containers");
    }

    static ValuePtr rebuildTensor(const torch::Tensor& storage, int64_t offset, const std::vector<int64_t>& size,
                                  const std::vector<int64_t>& stride)
    {
        if (size.size() != stride.size())
            fail("tensor size and stride disagree");
        int64_t last = offset;  // the highest element index the view touches
        bool empty = false;
        for (size_t i = 0; i < size.size(); ++i) {
            if (size[i] < 0 || stride[i] < 0)
                fail("negative tensor size or stride");
            empty = empty || size[i] == 0;
            last += (size[i] - 1) * stride[i];
        }
        if (offset < 0 || (!empty && last >= storage.numel()))
            fail("tensor reaches past its storage");
        auto v = make(Value::Tensor);
        v->tensor = empty ? torch::empty(size, storage.options()) : storage.as_strided(size, stride, offset);
        return v;
    }

    // ('storage', torch.FloatStorage, key, location, numel) -> the storage in data/<key>.
    ValuePtr persistent(const ValuePtr& id)
    {
        if (id->kind != Value::Tuple || id->items.size() < 5 || id->items[0]->kind != Value::String ||
            id->items[0]->text != "storage" || id->items[1]->kind != Value::Global ||
            id->items[2]->kind != Value::String || id->items[4]->kind != Value::Int)
            fail("malformed tensor storage reference");
        const std::string& key = id->items[2]->text;
        auto& storage = storages_[key];
        if (!storage.defined()) {
            const auto type = storageType(id->items[1]->text);
            const int64_t numel = id->items[4]->integer;
            const std::string record = "data/" + key;
            if (numel < 0 || !zip_.hasRecord(record))
                fail("tensor data " + record + " missing");
            auto [data, bytes] = zip_.getRecord(record);
            const size_t expected = static_cast<size_t>(numel) * c10::elementSize(type);
            if (bytes != expected)
                fail("tensor data " + record + " has " + std::to_string(bytes) + " bytes, expected " +
                     std::to_string(expected));
            storage = torch::empty({numel}, torch::TensorOptions().dtype(type));
            if (bytes)
                std::memcpy(storage.data_ptr(), data.get(), bytes);
        }
        auto v = make(Value::Storage);
        v->tensor = storage;
        return v;
    }

    const char* data_;
    size_t size_;
    size_t pos_ = 0;
    caffe2::serialize::PyTorchStreamReader& zip_;
    std::vector<ValuePtr> stack_;
    std::vector<size_t> marks_;
    std::map<uint64_t, ValuePtr> memo_;
    std::map<std::string, torch::Tensor> storages_;
};

torch::IValue toIValue(const ValuePtr& v, int depth = 0)
{
    if (depth > 64)
        fail("the pickle nests too deeply");
    switch (v->kind) {
    case Value::None: return {};
    case Value::Bool: return v->boolean;
    case Value::Int: return v->integer;
    case Value::Float: return v->real;
    case Value::String: return v->text;
    case Value::Tensor: return v->tensor;
    case Value::Tuple: {
        std::vector<torch::IValue> items;
        for (const auto& item : v->items)
            items.push_back(toIValue(item, depth + 1));
        return c10::ivalue::Tuple::create(std::move(items));
    }
    case Value::List: {
        c10::impl::GenericList list(c10::AnyType::get());
        for (const auto& item : v->items)
            list.push_back(toIValue(item, depth + 1));
        return list;
    }
    case Value::Dict: {
        c10::impl::GenericDict dict(c10::AnyType::get(), c10::AnyType::get());
        for (size_t i = 0; i + 1 < v->items.size(); i += 2) {
            const auto kind = v->items[i]->kind;
            if (kind != Value::String && kind != Value::Int && kind != Value::Bool)
                fail("a dict key that is not a string or integer");
            dict.insert_or_assign(toIValue(v->items[i], depth + 1), toIValue(v->items[i + 1], depth + 1));
        }
        return dict;
    }
    case Value::Global: return "<" + v->text + ">";
    case Value::Storage: fail("a bare tensor storage");
    }
    return {};
}

}  // namespace

torch::IValue readTorchSaveArchive(const std::string& bytes)
{
    const auto zip = openZip(bytes);
    if (!zip->hasRecord("data.pkl"))
        fail("no data.pkl in the archive");
    auto [pickle, size] = zip->getRecord("data.pkl");
    Unpickler unpickler(static_cast<const char*>(pickle.get()), size, *zip);
    return toIValue(unpickler.run());
}

std::vector<std::string> zipRecordNames(const std::string& bytes)
{
    return openZip(bytes)->getAllRecords();
}

}  // namespace cassava
