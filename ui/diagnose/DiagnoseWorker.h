#pragma once
// The network side of the Diagnose view, run by a QObject that lives on its own QThread: it loads
// a model (a run's fold ensemble or one checkpoint) into an engine Predictor, diagnoses batches of
// photos and computes Grad-CAM heatmaps, one request at a time in the order they were asked for.
// Nothing here blocks the GUI thread; every answer comes back as a queued signal carrying the
// generation of the model it was computed with, so answers from a replaced model can be dropped.
#include "LabelMap.h"

#include <nlohmann/json_fwd.hpp>

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <vector>

namespace cassava {
class Predictor;
}

namespace cassava::ui {

// The short side photos are shown and explained at in the details pane: large enough for the pane
// at full size on a high-DPI screen, small enough that a 12-megapixel phone photo decodes at 1/4
// inside libjpeg. The photo and its heatmap both use it, so they line up.
constexpr int kDiagnosisPhotoShortSide = 720;

struct ModelRequest {
    QString path;                 // a run folder or a .ckpt
    QString device = QStringLiteral("auto");
    int threads = 0;
    bool recipeViews = true;      // TTA runs and crops from the model's training recipe
    int runs = 1;                 // otherwise these
    int crops = 1;
};

struct LoadedModel {
    QString path;
    QString description;  // Predictor::description(): models, size, views, device
    QString summary;      // "EfficientNet-b0, 96 px, 2 fold models"
    LabelMap labels;
    int modelCount = 0;
    int inputSize = 0;
    int runs = 1;
    int crops = 1;
};

struct LeafResult {
    quint64 id = 0;
    std::vector<float> probabilities;  // empty when the photo could not be read
    QString error;
    bool cancelled = false;            // not predicted: the batch was cancelled first
};

struct HeatmapResult {
    quint64 id = 0;
    int target = -1;
    QImage photo;    // the photo as decoded for display (EXIF orientation applied)
    QImage overlay;  // the heatmap over it at full opacity; lower opacities blend the two
    QString error;
};

// The TTA runs and crops a model's recipe predicts with: CheckpointMetadata::training holds the
// run's configuration. Configurations that name "tta"/"tta_runs" and "crops" give them; a run
// trained on random crops of part of the photo (recipe A) predicts with four local crops at the
// same fraction, as the recipe's notebook does; anything else 1 run x 1 crop.
struct RecipeViews {
    int runs = 1;
    int crops = 1;
    double cropFraction = 512.0 / 600.0;
};
RecipeViews recipeViews(const nlohmann::json& training);

class DiagnoseWorker : public QObject {
    Q_OBJECT
public:
    DiagnoseWorker();
    ~DiagnoseWorker() override;

    // Slots in spirit: called on the worker's thread (through QMetaObject::invokeMethod).
    void loadModel(quint64 generation, const ModelRequest& request);
    void unloadModel(quint64 generation);
    // `cancel` belongs to this batch only, so a cancel can never leak into a later batch.
    void diagnose(quint64 generation, const QVector<quint64>& ids, const QStringList& paths,
                  std::shared_ptr<std::atomic<bool>> cancel);
    void computeHeatmap(quint64 generation, quint64 id, const QString& path, int target);

signals:
    void modelLoaded(quint64 generation, const cassava::ui::LoadedModel& model);
    void modelFailed(quint64 generation, const QString& path, const QString& message);
    void progress(quint64 generation, int done, int total, double photosPerSecond);
    void diagnosed(quint64 generation, const QVector<cassava::ui::LeafResult>& results);
    void heatmapReady(quint64 generation, const cassava::ui::HeatmapResult& result);

private:
    std::unique_ptr<Predictor> predictor_;
    quint64 generation_ = 0;
};

}  // namespace cassava::ui

Q_DECLARE_METATYPE(cassava::ui::LoadedModel)
Q_DECLARE_METATYPE(cassava::ui::LeafResult)
Q_DECLARE_METATYPE(cassava::ui::HeatmapResult)
