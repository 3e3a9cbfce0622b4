#include "DiagnoseModel.h"

#include "Csv.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace cassava::ui {

DiagnoseModel::DiagnoseModel(QObject* parent) : QAbstractListModel(parent) {}

int DiagnoseModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(cards_.size());
}

QVariant DiagnoseModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= cards_.size())
        return {};
    const LeafCard& c = cards_.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return c.name;
    case Qt::ToolTipRole: return c.error.isEmpty() ? c.path : c.path + QStringLiteral("\n") + c.error;
    case IdRole: return c.id;
    case PathRole: return c.path;
    case StateRole: return static_cast<int>(c.state);
    case ProbabilitiesRole: {
        QVariantList list;
        for (float p : c.probabilities)
            list.append(static_cast<double>(p));
        return list;
    }
    case PredictedRole: return c.predicted;
    case ConfidenceRole: return static_cast<double>(confidenceOf(c));
    case VerdictRole: {
        const auto v = verdictOf(c);
        return v ? QVariant(static_cast<int>(*v)) : QVariant();
    }
    case PlantRole: return c.plant;
    case PlantNameRole: return c.plant ? plantName(c.plant) : QString();
    case ErrorRole: return c.error;
    case ThumbnailRole: return c.thumbnail;
    default: return {};
    }
}

void DiagnoseModel::setLabels(const LabelMap& labels)
{
    const bool resized = labels.size() != labels_.size();
    labels_ = labels;
    if (resized) {  // a card's height follows its number of classes
        emit layoutAboutToBeChanged();
        emit layoutChanged();
    }
    if (!cards_.isEmpty())
        emit dataChanged(index(0), index(static_cast<int>(cards_.size()) - 1));
    emit plantsChanged();
}

void DiagnoseModel::setAbstainOptions(const AbstainOptions& options)
{
    abstain_ = options;
    if (!cards_.isEmpty())
        emit dataChanged(index(0), index(static_cast<int>(cards_.size()) - 1));
    emit plantsChanged();
}

QList<quint64> DiagnoseModel::addPhotos(const QStringList& paths)
{
    QList<quint64> added;
    if (paths.isEmpty())
        return added;
    const int first = static_cast<int>(cards_.size());
    beginInsertRows({}, first, first + static_cast<int>(paths.size()) - 1);
    for (const QString& path : paths) {
        LeafCard c;
        c.id = nextId_++;
        c.path = path;
        c.name = QFileInfo(path).fileName();
        rows_.insert(c.id, static_cast<int>(cards_.size()));
        cards_.append(std::move(c));
        added.append(cards_.back().id);
    }
    endInsertRows();
    return added;
}

const LeafCard* DiagnoseModel::card(quint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &cards_.at(row);
}

QList<quint64> DiagnoseModel::ids() const
{
    QList<quint64> out;
    out.reserve(cards_.size());
    for (const LeafCard& c : cards_)
        out.append(c.id);
    return out;
}

void DiagnoseModel::emitRowChanged(int row)
{
    emit dataChanged(index(row), index(row));
    if (cards_.at(row).plant)
        emit plantsChanged();
}

void DiagnoseModel::setThumbnail(quint64 id, const QImage& thumbnail, bool leafChecked, bool looksLikeLeaf,
                                 double plantShare)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    LeafCard& c = cards_[row];
    c.thumbnail = thumbnail;
    c.thumbnailDone = true;
    c.leafChecked = leafChecked;
    c.looksLikeLeaf = !leafChecked || looksLikeLeaf;
    c.plantShare = plantShare;
    emitRowChanged(row);
}

void DiagnoseModel::setState(quint64 id, CardState state)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    LeafCard& c = cards_[row];
    c.state = state;
    if (state != CardState::Done) {
        c.probabilities.clear();
        c.predicted = -1;
    }
    if (state != CardState::Error)
        c.error.clear();
    emitRowChanged(row);
}

void DiagnoseModel::setResult(quint64 id, const std::vector<float>& probabilities)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    LeafCard& c = cards_[row];
    c.state = CardState::Done;
    c.error.clear();
    c.probabilities = probabilities;
    c.predicted = probabilities.empty() ? -1
                                        : static_cast<int>(std::max_element(probabilities.begin(), probabilities.end()) -
                                                           probabilities.begin());
    emitRowChanged(row);
}

void DiagnoseModel::setError(quint64 id, const QString& error)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    LeafCard& c = cards_[row];
    c.state = CardState::Error;
    c.error = error;
    c.probabilities.clear();
    c.predicted = -1;
    emitRowChanged(row);
}

void DiagnoseModel::reindex(int fromRow)
{
    for (int r = fromRow; r < cards_.size(); ++r)
        rows_[cards_.at(r).id] = r;
}

void DiagnoseModel::removeCards(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty())
        return;
    // Contiguous runs from the bottom up, so earlier rows keep their numbers.
    for (int i = static_cast<int>(rows.size()) - 1; i >= 0;) {
        const int last = rows.at(i);
        int first = last;
        while (i > 0 && rows.at(i - 1) == first - 1 && first - 1 >= 0)
            first = rows.at(--i);
        --i;
        if (first < 0 || last >= cards_.size())
            continue;
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r)
            rows_.remove(cards_.at(r).id);
        cards_.erase(cards_.begin() + first, cards_.begin() + last + 1);
        endRemoveRows();
    }
    reindex(rows.front());
    dropEmptyPlants();
}

int DiagnoseModel::groupAsPlant(const QList<int>& rows, const QString& name)
{
    QList<int> valid;
    for (int r : rows)
        if (r >= 0 && r < cards_.size() && !valid.contains(r))
            valid.append(r);
    if (valid.isEmpty())
        return 0;
    Plant plant;
    plant.id = nextPlant_++;
    plant.name = name.isEmpty() ? tr("Plant %1").arg(plant.id) : name;
    plants_.append(plant);
    for (int r : valid) {
        cards_[r].plant = plant.id;
        emit dataChanged(index(r), index(r));
    }
    dropEmptyPlants();  // plants whose last members joined this one
    return plant.id;
}

// Plants that no card belongs to any more are gone.
void DiagnoseModel::dropEmptyPlants()
{
    QSet<int> used;
    for (const LeafCard& c : cards_)
        if (c.plant)
            used.insert(c.plant);
    plants_.erase(std::remove_if(plants_.begin(), plants_.end(), [&](const Plant& p) { return !used.contains(p.id); }),
                  plants_.end());
    emit plantsChanged();
}

void DiagnoseModel::ungroup(const QList<int>& rows)
{
    for (int r : rows) {
        if (r < 0 || r >= cards_.size() || !cards_.at(r).plant)
            continue;
        cards_[r].plant = 0;
        emit dataChanged(index(r), index(r));
    }
    dropEmptyPlants();
}

QString DiagnoseModel::plantName(int plant) const
{
    for (const Plant& p : plants_)
        if (p.id == plant)
            return p.name;
    return {};
}

QList<int> DiagnoseModel::rowsOfPlant(int plant) const
{
    QList<int> rows;
    if (plant == 0)
        return rows;
    for (int r = 0; r < cards_.size(); ++r)
        if (cards_.at(r).plant == plant)
            rows.append(r);
    return rows;
}

PlantDiagnosis DiagnoseModel::plantDiagnosis(int plant) const
{
    PlantDiagnosis d;
    std::vector<std::vector<float>> leaves;
    for (const LeafCard& c : cards_) {
        if (c.plant != plant || plant == 0)
            continue;
        ++d.members;
        if (c.state != CardState::Done || c.probabilities.empty()) {
            ++d.unreadable;
            continue;
        }
        // A photo that is not a leaf says nothing about the plant, whatever the network made of it.
        if (abstain_.checkLeaf && !c.looksLikeLeaf) {
            ++d.notLeaves;
            continue;
        }
        leaves.push_back(c.probabilities);
    }
    d.consensus = plantConsensus(leaves);
    if (d.consensus.leaves > 0)
        d.verdict = verdictFor(d.consensus.confidence, true, abstain_);
    return d;
}

std::optional<Verdict> DiagnoseModel::verdictOf(const LeafCard& card) const
{
    if (card.state != CardState::Done || card.probabilities.empty())
        return std::nullopt;
    return verdictFor(confidenceOf(card), card.looksLikeLeaf, abstain_);
}

float DiagnoseModel::confidenceOf(const LeafCard& card) const
{
    if (card.predicted < 0 || card.predicted >= static_cast<int>(card.probabilities.size()))
        return 0;
    return card.probabilities[static_cast<size_t>(card.predicted)];
}

QString DiagnoseModel::agreementText(const PlantDiagnosis& plant) const
{
    if (plant.consensus.predicted < 0)
        return tr("no leaf diagnosed yet");
    return tr("%1 of %2 leaves: %3")
        .arg(plant.consensus.agreeing)
        .arg(plant.consensus.leaves)
        .arg(shortName(plant.consensus.predicted));
}

QString DiagnoseModel::shortName(int label) const
{
    return labels_.contains(label) ? QString::fromStdString(labels_.shortName(label)) : tr("class %1").arg(label);
}

QString DiagnoseModel::fullName(int label) const
{
    return labels_.contains(label) ? QString::fromStdString(labels_.name(label)) : tr("class %1").arg(label);
}

QString DiagnoseModel::cardTitle(int label) const
{
    const QString shortText = shortName(label);
    QString rest = fullName(label);
    rest.remove(QStringLiteral("(") + shortText + QStringLiteral(")"));
    rest = rest.trimmed();
    if (rest.startsWith(QLatin1String("Cassava "), Qt::CaseInsensitive))
        rest = rest.mid(8);
    if (rest.isEmpty() || rest == shortText)
        return shortText;
    return shortText + QStringLiteral(" · ") + rest;
}

QByteArray DiagnoseModel::toCsv() const
{
    int classes = labels_.size();
    for (const LeafCard& c : cards_)
        classes = std::max(classes, static_cast<int>(c.probabilities.size()));
    auto field = [](const QString& s) { return QByteArray::fromStdString(csvField(s.toStdString())); };
    QByteArray out = "photo,plant,class,disease,confidence";
    for (int k = 0; k < classes; ++k)
        out += ",p" + QByteArray::number(k);
    out += ",verdict,abstained,error\n";
    for (const LeafCard& c : cards_) {
        out += field(c.path) + ',' + field(c.plant ? plantName(c.plant) : QString()) + ',';
        const auto verdict = verdictOf(c);
        if (verdict) {
            out += QByteArray::number(c.predicted) + ',' + field(fullName(c.predicted)) + ',' +
                   QByteArray::number(static_cast<double>(confidenceOf(c)), 'f', 6);
        } else {
            out += ",,";
        }
        for (int k = 0; k < classes; ++k) {
            out += ',';
            if (verdict && k < static_cast<int>(c.probabilities.size()))
                out += QByteArray::number(static_cast<double>(c.probabilities[static_cast<size_t>(k)]), 'f', 6);
        }
        QString error = c.error;
        if (!verdict && error.isEmpty())
            error = c.state == CardState::Cancelled ? tr("not diagnosed (cancelled)") : tr("not diagnosed yet");
        out += ',' + field(verdict ? QString::fromLatin1(verdictName(*verdict)) : QString()) + ',' +
               (verdict ? (*verdict == Verdict::Diagnosed ? "0" : "1") : "") + ',' + field(error) + '\n';
    }
    return out;
}

}  // namespace cassava::ui
