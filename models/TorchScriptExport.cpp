#include "TorchScriptExport.h"

#include "AtomicFile.h"
#include "Checkpoint.h"
#include "EfficientNet.h"
#include "StateDict.h"

#include <cstdio>
#include <sstream>

namespace cassava {
namespace {

// A TorchScript module tree with the same names, parameters and buffers as the C++ module tree.
torch::jit::Module mirror(const torch::nn::Module& module, const std::shared_ptr<torch::jit::CompilationUnit>& cu)
{
    std::string typeName = module.name();  // "cassava::MBConvImpl", "torch::nn::Conv2dImpl"
    if (const auto colon = typeName.rfind("::"); colon != std::string::npos)
        typeName = typeName.substr(colon + 2);
    if (typeName.size() > 4 && typeName.compare(typeName.size() - 4, 4, "Impl") == 0)
        typeName.resize(typeName.size() - 4);
    torch::jit::Module node(c10::QualifiedName("__torch__.cassava." + typeName), cu, /*shouldMangle=*/true);
    for (const auto& p : module.named_parameters(/*recurse=*/false))
        node.register_parameter(p.key(), p.value().detach().contiguous(), /*is_buffer=*/false);
    for (const auto& b : module.named_buffers(/*recurse=*/false))
        node.register_buffer(b.key(), b.value().detach().contiguous());
    for (const auto& child : module.named_children())
        node.register_module(child.key(), mirror(*child.value(), cu));
    return node;
}

std::string floatLiteral(double value)
{
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);
    std::string literal = text;
    if (literal.find_first_of(".eE") == std::string::npos)
        literal += ".0";
    return literal;
}

std::string child(const std::string& parent, int index)
{
    return "getattr(" + parent + ", \"" + std::to_string(index) + "\")";
}

// Writes the body of the scripted forward, one line per operation, from the network's plan.
class ForwardWriter {
public:
    explicit ForwardWriter(const Variant& variant) : variant_(variant) {}

    void line(const std::string& text) { source_ << "    " << text << '\n'; }
    void raw(const std::string& text) { source_ << text; }

    // Binds a submodule to a fresh local name (TorchScript locals keep one type).
    std::string local(const std::string& expression)
    {
        const std::string name = "m" + std::to_string(next_++);
        line(name + " = " + expression);
        return name;
    }

    // torchvision's Conv2dNormActivation: bias-free convolution, BatchNorm, optional SiLU.
    void convNormActivation(const std::string& nodeExpression, int kernel, int stride, int groups,
                            bool activation)
    {
        const std::string node = local(nodeExpression);
        const std::string s = std::to_string(stride), p = std::to_string((kernel - 1) / 2);
        line("x = torch.conv2d(x, " + child(node, 0) + ".weight, None, [" + s + ", " + s + "], [" + p +
             ", " + p + "], [1, 1], " + std::to_string(groups) + ")");
        const std::string bn = local(child(node, 1));
        line("x = torch.batch_norm(x, " + bn + ".weight, " + bn + ".bias, " + bn + ".running_mean, " + bn +
             ".running_var, False, " + floatLiteral(variant_.batchNormMomentum) + ", " +
             floatLiteral(variant_.batchNormEps) + ", True)");
        if (activation)
            line("x = torch.silu(x)");
    }

    void mbconv(const BlockPlan& b)
    {
        const std::string block = local(child(child("features", b.stage), b.index) + ".block");
        if (b.hasResidual())
            line("shortcut = x");
        int k = 0;
        if (b.hasExpansion())
            convNormActivation(child(block, k++), 1, 1, 1, true);
        convNormActivation(child(block, k++), b.kernel, b.stride, b.expandedChannels, true);
        const std::string se = local(child(block, k++));
        line("s = torch.adaptive_avg_pool2d(x, [1, 1])");
        line("s = torch.silu(torch.conv2d(s, " + se + ".fc1.weight, " + se + ".fc1.bias, [1, 1], [0, 0], [1, 1], 1))");
        line("s = torch.sigmoid(torch.conv2d(s, " + se + ".fc2.weight, " + se +
             ".fc2.bias, [1, 1], [0, 0], [1, 1], 1))");
        line("x = s * x");
        convNormActivation(child(block, k++), 1, 1, 1, false);
        if (b.hasResidual())
            line("x = x + shortcut");
    }

    std::string source() const { return source_.str(); }

private:
    const Variant& variant_;
    std::ostringstream source_;
    int next_ = 0;
};

std::string scriptedForward(const NetworkPlan& plan)
{
    ForwardWriter w(*plan.variant);
    w.raw("def forward(self, x: Tensor) -> Tensor:\n"
          "    return self.classify(self.forward_features(x))\n\n"
          "def classify(self, x: Tensor) -> Tensor:\n"
          "    x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)\n"
          "    fc = getattr(self.classifier, \"1\")\n"
          "    return torch.linear(x, fc.weight, fc.bias)\n\n"
          "def forward_features(self, x: Tensor) -> Tensor:\n");
    w.line("features = self.features");
    w.convNormActivation(child("features", 0), 3, 2, 1, true);
    for (const BlockPlan& b : plan.blocks)
        w.mbconv(b);
    w.convNormActivation(child("features", plan.stageCount + 1), 1, 1, 1, true);
    w.line("return x");
    return w.source();
}

// A fixed, RNG-free input so that exporting does not disturb anyone's random stream.
torch::Tensor probeImages()
{
    return torch::arange(2 * 3 * 64 * 64, torch::kFloat).mul(0.37).sin().reshape({2, 3, 64, 64});
}

}  // namespace

ExportReport exportTorchScript(const EfficientNet& constNet, const CheckpointMetadata& metadata,
                               const std::string& outPath)
{
    EfficientNet net = constNet;  // shares the module; forward() is not const
    for (const auto& p : net->parameters())
        if (!p.device().is_cpu())
            throw std::invalid_argument("exportTorchScript: move the network to the CPU first");
    auto cu = std::make_shared<torch::jit::CompilationUnit>();
    torch::jit::Module root = mirror(*net, cu);

    c10::List<std::string> classNames;
    for (const auto& name : metadata.classNames)
        classNames.push_back(name);
    root.register_attribute("class_names", c10::ListType::ofStrings(), classNames);
    root.register_attribute("mean", c10::ListType::ofFloats(),
                            c10::List<double>(std::vector<double>(metadata.mean.begin(), metadata.mean.end())));
    root.register_attribute("std", c10::ListType::ofFloats(),
                            c10::List<double>(std::vector<double>(metadata.stdDev.begin(), metadata.stdDev.end())));
    root.register_attribute("input_size", c10::IntType::get(), static_cast<int64_t>(metadata.inputSize));
    root.register_attribute("variant", c10::StringType::get(), metadata.variant);

    try {
        root.define(scriptedForward(net->plan()));
    } catch (const std::exception& e) {
        throw std::runtime_error(outPath + ": cannot compile the scripted forward (" + torchMessage(e) + ")");
    }
    root.eval();

    // The scripted forward must compute what the network computes.
    ExportReport report;
    report.variant = metadata.variant;
    report.numClasses = net->numClasses();
    {
        const bool wasTraining = net->is_training();
        net->eval();
        torch::NoGradGuard noGrad;
        const auto images = probeImages();
        const auto expected = net->forward(images);
        const auto scripted = root.forward({images}).toTensor();
        report.maxAbsDifference = (expected - scripted).abs().max().item<double>();
        net->train(wasTraining);
    }
    if (!(report.maxAbsDifference < 1e-3))
        throw std::runtime_error(outPath + ": the scripted forward disagrees with the network (max |diff| " +
                                 std::to_string(report.maxAbsDifference) + "); nothing written");

    torch::jit::ExtraFilesMap extraFiles;
    extraFiles["metadata.json"] = metadata.toJson().dump(2);
    std::ostringstream bytes;
    root.save(bytes, extraFiles);
    writeFileAtomically(outPath, bytes.str());
    return report;
}

ExportReport exportTorchScript(const std::string& checkpointPath, const std::string& outPath)
{
    CheckpointMetadata metadata;
    const EfficientNet net = loadCheckpoint(checkpointPath, &metadata);
    return exportTorchScript(net, metadata, outPath);
}

}  // namespace cassava
