#pragma once
// The Diagnose page, for agronomists: drop leaf photos (or folders, or paste), get a card per
// photo with the disease, its confidence and every class's probability; see where the model
// looked (Grad-CAM) in the details pane; group the photos of one plant for a consensus; export
// the cards as CSV. A card says "Not sure" and asks for a better photo instead of naming a
// disease when the model is not confident or the photo is not a leaf.
//
// The work (queue, worker thread, caches) is DiagnoseSession's; this is its widgets.
#include "DiagnoseWorker.h"
#include "Diagnosis.h"
#include "DiagnosisDetails.h"

#include <QList>
#include <QWidget>

class QAction;
class QFrame;
class QLabel;
class QListView;
class QMimeData;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace cassava::ui {

class DiagnoseModel;
class DiagnoseSession;
class ModelChooser;
class NoModelView;
class PlantStrip;

class DiagnoseView : public QWidget {
    Q_OBJECT
public:
    explicit DiagnoseView(QWidget* parent = nullptr);
    ~DiagnoseView() override;

    // A run folder (its fold ensemble) or a .ckpt; "" = none. Loads off the GUI thread; every
    // card is diagnosed again by the new model.
    void setModelPath(const QString& path);
    QString modelPath() const { return modelPath_; }
    bool isModelReady() const;
    void setRecentModels(const QStringList& paths);
    void setDatasetRoot(const QString& root);
    // "auto"/"cpu"/"cuda", 0 threads = all cores; a loaded model is reloaded with them.
    void setComputeOptions(const QString& device, int threads);
    void setAbstainOptions(const cassava::AbstainOptions& options);
    // Files or folders; a folder of a few photos (<= kMaxPlantPhotos) becomes one plant.
    void addPhotos(const QStringList& paths);
    // The way a drop and a paste go: file URLs, text naming files, or an image.
    bool addFromMime(const QMimeData* mime);
    // Where the lead wires in the advice texts: setAdviceProvider(cassava::ui::adviceMarkdown).
    void setAdviceProvider(AdviceProvider provider);

    bool isBusy() const;
    int cardCount() const;

    // TTA runs and crops per photo (defaults from the model's recipe); changing them diagnoses
    // the cards again.
    void setViews(int runs, int crops);
    int ttaRuns() const;
    int crops() const;

    // The user's actions, also reachable from the keyboard and the context menu.
    void selectRows(const QList<int>& rows);
    QList<int> selectedRows() const;
    int groupSelectedAsPlant();
    void ungroupSelected();
    void removeSelected();
    void cancel();
    void diagnoseRemaining();
    void pasteFromClipboard();
    void chooseAndAddPhotos();
    void chooseAndAddFolder();
    void chooseAndExportCsv();
    // Writes the cards as CSV atomically; an existing file is replaced only when the user has
    // confirmed it (the save dialog asks). False with `error` set otherwise.
    bool exportCsv(const QString& path, bool overwriteConfirmed, QString* error = nullptr);

    DiagnoseModel* model() const { return model_; }
    DiagnoseSession* session() const { return session_; }
    DiagnosisDetails* details() const { return details_; }
    QListView* cardList() const { return list_; }
    NoModelView* noModelView() const { return noModel_; }
    QString statusText() const;
    QString pastedPhotoFolder() const { return pastedFolder_; }
    void setPastedPhotoFolder(const QString& folder) { pastedFolder_ = folder; }

signals:
    void modelChanged(const QString& path);  // loaded OK: the frame records it as recent / last used
    void openModelRequested();               // "Open a checkpoint…" way out
    void trainQuickModelRequested();         // until the Train view exists, the CLI command is shown
    void busyChanged(bool busy);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    QWidget* createCardsPane();
    ModelRequest request(bool recipeViews) const;
    void onModelLoaded(const LoadedModel& info);
    void onModelFailed(const QString& path, const QString& message);
    void onProgress(int done, int total, double rate);
    void updateSelection();
    void updateActions();  // what can be grouped, removed, exported
    void updatePages();
    void showStatus(const QString& text);

    DiagnoseSession* session_ = nullptr;
    DiagnoseModel* model_ = nullptr;
    QString modelPath_;
    QString device_ = QStringLiteral("auto");
    int threads_ = 0;
    QString pastedFolder_;
    QString lastFolder_;
    QString message_;  // the last thing said to the user, shown when no work is running

    ModelChooser* chooser_ = nullptr;
    QSpinBox* runs_ = nullptr;
    QSpinBox* crops_ = nullptr;
    QTimer* viewsTimer_ = nullptr;
    QStackedWidget* pages_ = nullptr;  // no model | work
    NoModelView* noModel_ = nullptr;
    QFrame* banner_ = nullptr;
    QLabel* bannerText_ = nullptr;
    QStackedWidget* cardsPage_ = nullptr;  // drop hint | cards
    QListView* list_ = nullptr;
    PlantStrip* plants_ = nullptr;
    DiagnosisDetails* details_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* remaining_ = nullptr;
    QAction* groupAction_ = nullptr;
    QAction* ungroupAction_ = nullptr;
    QAction* removeAction_ = nullptr;
    QAction* exportAction_ = nullptr;
};

}  // namespace cassava::ui
