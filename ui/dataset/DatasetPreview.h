#pragma once
// The large preview beside the grid: the selected photo with zoom controls, its id, label and
// disease name, size and format, and (with a run) what the run predicted. The photo is decoded
// in full by core (EXIF orientation applied) on a worker thread; the thumbnail stands in until it
// arrives. At most one decode runs: moving fast through the grid decodes only where the user
// stops.
#include <QWidget>

class QLabel;
class QToolButton;

namespace cassava::ui {

class DatasetBrowserModel;
class ImagePreview;

class DatasetPreview : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPreview(QWidget* parent = nullptr);

    void setModel(const DatasetBrowserModel* model) { model_ = model; }
    // Shows a row of the model (-1: nothing selected); `standIn` is shown until the photo loads.
    void showRow(int row, const QPixmap& standIn = {});
    void clear();
    // The prediction line follows the model's predictions.
    void refreshPrediction();

    int row() const { return row_; }
    bool isLoading() const { return loadingRow_ >= 0; }
    ImagePreview* image() const { return image_; }
    QString titleText() const;
    QString labelText() const;
    QString infoText() const;
    QString predictionText() const;
    // The review decision on the photo shown ("" hides the line).
    void setDecisionText(const QString& text);
    QString decisionText() const;

signals:
    void photoLoaded(int row);
    void photoUnreadable(int row, const QString& error);

private:
    struct Decoded;
    void startDecode(int row);
    void finishDecode(int row, const Decoded& decoded);
    void updateZoomLabel(double zoom, bool fitted);

    const DatasetBrowserModel* model_ = nullptr;
    int row_ = -1;
    int loadingRow_ = -1;   // being decoded
    int wantedRow_ = -1;    // to decode once the running one is done
    QLabel* title_ = nullptr;
    QLabel* label_ = nullptr;
    QLabel* info_ = nullptr;
    QLabel* prediction_ = nullptr;
    QLabel* decision_ = nullptr;
    QLabel* zoomLabel_ = nullptr;
    QToolButton* fit_ = nullptr;
    QToolButton* actual_ = nullptr;
    ImagePreview* image_ = nullptr;
};

}  // namespace cassava::ui
