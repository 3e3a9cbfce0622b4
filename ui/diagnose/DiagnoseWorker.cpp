#include "DiagnoseWorker.h"

#include "ImageConversion.h"
#include "ImageIo.h"
#include "Predictor.h"
#include "RunDir.h"

#include <nlohmann/json.hpp>

#include <QFileInfo>

#include <algorithm>
#include <exception>

namespace cassava::ui {

namespace {

LabelMap labelsOf(const CheckpointMetadata& m)
{
    if (static_cast<int>(m.classNames.size()) == m.numClasses && m.numClasses > 0)
        return LabelMap(m.classNames);
    if (m.numClasses == LabelMap::standard().size())
        return LabelMap::standard();
    std::vector<std::string> names;
    for (int c = 0; c < m.numClasses; ++c)
        names.push_back("class " + std::to_string(c));
    return LabelMap(names);
}

int readInt(const nlohmann::json& j, const char* key, int fallback)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

}  // namespace

RecipeViews recipeViews(const nlohmann::json& training)
{
    RecipeViews v;
    if (!training.is_object())
        return v;
    v.runs = readInt(training, "tta", readInt(training, "tta_runs", 1));
    v.crops = readInt(training, "crops", 0);
    if (const auto a = training.find("augment"); a != training.end() && a->is_object()) {
        const bool randomCrops = a->value("crop", std::string()) == "random";
        const double fraction = a->value("crop_fraction", 1.0);
        if (v.crops == 0 && randomCrops && fraction > 0 && fraction < 1) {
            v.crops = 4;  // recipe A: the four corners at the training crop's fraction
            v.cropFraction = fraction;
        }
    }
    v.runs = std::clamp(v.runs, 1, 64);
    v.crops = std::clamp(v.crops == 0 ? 1 : v.crops, 1, 64);
    return v;
}

DiagnoseWorker::DiagnoseWorker() = default;
DiagnoseWorker::~DiagnoseWorker() = default;

void DiagnoseWorker::loadModel(quint64 generation, const ModelRequest& request)
{
    generation_ = generation;
    predictor_.reset();  // free the old model's memory before the new one loads
    const std::string path = request.path.toStdString();
    const bool run = QFileInfo(request.path).isDir();
    PredictorOptions o;
    o.device = request.device.isEmpty() ? std::string("auto") : request.device.toStdString();
    o.threads = request.threads;
    o.workers = request.threads;
    o.views.runs = request.runs;
    o.views.crops = request.crops;
    try {
        if (request.recipeViews) {
            // The recipe is in the (first) model's metadata: read it before building the
            // predictor, which fixes its views.
            std::string first = path;
            if (run) {
                const RunDir dir(path);
                const std::vector<int> folds = dir.foldsWithBest();
                first = folds.empty() ? std::string() : dir.bestCheckpoint(folds.front());
            }
            if (!first.empty()) {  // a run without folds: fromRun says so below
                const RecipeViews v = recipeViews(readCheckpointMetadata(first).training);
                o.views.runs = v.runs;
                o.views.crops = v.crops;
                o.views.cropFraction = v.cropFraction;
            }
        }
        predictor_ = std::make_unique<Predictor>(run ? Predictor::fromRun(path, o) : Predictor::fromCheckpoint(path, o));
    } catch (const std::exception& e) {
        emit modelFailed(generation, request.path, QString::fromStdString(e.what()));
        return;
    }
    const CheckpointMetadata& m = predictor_->metadata();
    LoadedModel info;
    info.path = request.path;
    info.description = QString::fromStdString(predictor_->description());
    info.labels = labelsOf(m);
    info.modelCount = predictor_->modelCount();
    info.inputSize = m.inputSize;
    info.runs = o.views.runs;
    info.crops = o.views.crops;
    QString variant = QString::fromStdString(m.variant).toUpper();
    info.summary = tr("EfficientNet-%1, %2 px, %3")
                       .arg(variant)
                       .arg(m.inputSize)
                       .arg(info.modelCount == 1 ? tr("1 model") : tr("%1 fold models").arg(info.modelCount));
    emit modelLoaded(generation, info);
}

void DiagnoseWorker::unloadModel(quint64 generation)
{
    generation_ = generation;
    predictor_.reset();
}

void DiagnoseWorker::diagnose(quint64 generation, const QVector<quint64>& ids, const QStringList& paths,
                              std::shared_ptr<std::atomic<bool>> cancel)
{
    QVector<LeafResult> results(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        results[i].id = ids[i];
    if (generation != generation_ || !predictor_) {
        for (LeafResult& r : results)
            r.cancelled = true;
        emit diagnosed(generation, results);
        return;
    }
    std::vector<std::string> files;
    for (const QString& p : paths)
        files.push_back(p.toStdString());
    std::vector<PhotoPrediction> predictions;
    try {
        predictions = predictor_->predict(
            files,
            [&](const PredictProgress& p) {
                emit progress(generation, static_cast<int>(p.done), static_cast<int>(p.total), p.imagesPerSecond);
            },
            cancel.get());
    } catch (const std::exception& e) {
        // A hard failure of the network (out of memory, say) is every photo's error, not a crash.
        for (LeafResult& r : results)
            r.error = QString::fromStdString(e.what());
        emit diagnosed(generation, results);
        return;
    }
    const bool cancelled = cancel && cancel->load();
    for (size_t i = 0; i < predictions.size() && i < static_cast<size_t>(results.size()); ++i) {
        LeafResult& r = results[static_cast<qsizetype>(i)];
        const PhotoPrediction& p = predictions[i];
        if (p.ok())
            r.probabilities = p.probabilities;
        else if (cancelled && p.probabilities.empty() && p.error.rfind("not predicted", 0) == 0)
            r.cancelled = true;
        else
            r.error = QString::fromStdString(p.error);
    }
    emit diagnosed(generation, results);
}

void DiagnoseWorker::computeHeatmap(quint64 generation, quint64 id, const QString& path, int target)
{
    HeatmapResult result;
    result.id = id;
    result.target = target;
    if (generation != generation_ || !predictor_) {
        result.error = tr("the model changed; ask again");
        emit heatmapReady(generation, result);
        return;
    }
    DecodeOptions d;
    d.minShortSide = kDiagnosisPhotoShortSide;
    const DecodedImage image = ImageIo::decode(path.toStdString(), d);
    if (!image.ok()) {
        result.error = QString::fromStdString(image.error);
        emit heatmapReady(generation, result);
        return;
    }
    try {
        const cv::Mat heat = predictor_->heatmap(image.rgb, target);
        result.photo = imageFromRgb(image.rgb);
        result.overlay = imageFromRgb(overlayHeatmap(image.rgb, heat, 1.0));
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    }
    emit heatmapReady(generation, result);
}

}  // namespace cassava::ui
