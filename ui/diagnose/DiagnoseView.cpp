#include "DiagnoseView.h"

#include "AtomicFile.h"
#include "CardDelegate.h"
#include "DiagnoseModel.h"
#include "DiagnoseSession.h"
#include "DiagnosisPainting.h"
#include "ModelChooser.h"
#include "NoModelView.h"
#include "PhotoLoader.h"
#include "PhotoSources.h"
#include "PlantStrip.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace cassava::ui {

namespace {

QLabel* placeholderLabel(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setAlignment(Qt::AlignCenter);
    l->setWordWrap(true);
    l->setForegroundRole(QPalette::PlaceholderText);
    return l;
}

QString photosText(int n)
{
    return n == 1 ? QObject::tr("1 photo") : QObject::tr("%1 photos").arg(n);
}

}  // namespace

DiagnoseView::DiagnoseView(QWidget* parent) : QWidget(parent)
{
    setAcceptDrops(true);
    pastedFolder_ = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/pasted");
    session_ = new DiagnoseSession(this);
    model_ = session_->model();
    session_->loader()->setThumbnailSize(CardDelegate::thumbnailBox() * std::max(1.0, devicePixelRatioF()));

    // Top line: the model, its views, the photo actions.
    chooser_ = new ModelChooser(this);
    runs_ = new QSpinBox(this);
    runs_->setObjectName(QStringLiteral("ttaRuns"));
    runs_->setRange(1, 16);
    runs_->setPrefix(tr("TTA "));
    runs_->setToolTip(tr("Test-time augmentation runs per crop: the photo, its flips, then zoom and contrast.\n"
                         "More runs are slower and often a little more accurate. Default: the model's recipe."));
    crops_ = new QSpinBox(this);
    crops_->setObjectName(QStringLiteral("crops"));
    crops_->setRange(1, 9);
    crops_->setPrefix(tr("Crops "));
    crops_->setToolTip(tr("Local crops per photo (4: the corners, as the recipe that trained on crops).\n"
                          "Default: the model's recipe."));
    viewsTimer_ = new QTimer(this);
    viewsTimer_->setSingleShot(true);
    viewsTimer_->setInterval(400);  // one reload after the user has finished clicking the arrows
    connect(viewsTimer_, &QTimer::timeout, this, [this] {
        if (!modelPath_.isEmpty())
            session_->load(request(false), true);
    });
    for (QSpinBox* s : {runs_, crops_})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), viewsTimer_, qOverload<>(&QTimer::start));

    createActions();
    auto* add = new QToolButton(this);
    add->setText(tr("Add Photos…"));
    add->setToolTip(tr("Add photos to diagnose (you can also drop photos or folders here, or paste them)"));
    add->setPopupMode(QToolButton::MenuButtonPopup);
    auto* addMenu = new QMenu(add);
    addMenu->addAction(tr("Photos…"), this, &DiagnoseView::chooseAndAddPhotos);
    addMenu->addAction(tr("Folder…"), this, &DiagnoseView::chooseAndAddFolder);
    add->setMenu(addMenu);
    connect(add, &QToolButton::clicked, this, &DiagnoseView::chooseAndAddPhotos);
    auto toolButton = [this](QAction* action) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(action);
        return b;
    };
    auto* top = new QHBoxLayout;
    top->addWidget(chooser_, 1);
    top->addWidget(runs_);
    top->addWidget(crops_);
    top->addSpacing(12);
    top->addWidget(add);
    top->addWidget(toolButton(groupAction_));
    top->addWidget(toolButton(ungroupAction_));
    top->addWidget(toolButton(exportAction_));

    // Progress line: the work, or the last message.
    progress_ = new QProgressBar(this);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(260);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("diagnoseStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("cancelDiagnosis"));
    connect(cancel_, &QPushButton::clicked, this, &DiagnoseView::cancel);
    remaining_ = new QPushButton(tr("Diagnose Remaining"), this);
    connect(remaining_, &QPushButton::clicked, this, &DiagnoseView::diagnoseRemaining);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(progress_);
    progressRow->addWidget(status_, 1);
    progressRow->addWidget(remaining_);
    progressRow->addWidget(cancel_);

    noModel_ = new NoModelView(this);
    connect(noModel_, &NoModelView::openModelRequested, this, &DiagnoseView::openModelRequested);
    connect(noModel_, &NoModelView::trainQuickModelRequested, this, &DiagnoseView::trainQuickModelRequested);
    pages_ = new QStackedWidget(this);
    pages_->addWidget(noModel_);
    pages_->addWidget(createCardsPane());

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(progressRow);
    layout->addWidget(pages_, 1);

    connect(chooser_, &ModelChooser::modelChosen, this, &DiagnoseView::setModelPath);
    connect(chooser_, &ModelChooser::openRequested, this, &DiagnoseView::openModelRequested);
    connect(session_, &DiagnoseSession::modelLoaded, this, &DiagnoseView::onModelLoaded);
    connect(session_, &DiagnoseSession::modelFailed, this, &DiagnoseView::onModelFailed);
    connect(session_, &DiagnoseSession::modelReset, details_, &DiagnosisDetails::resetHeatmap);
    connect(session_, &DiagnoseSession::progressChanged, this, &DiagnoseView::onProgress);
    connect(session_, &DiagnoseSession::busyChanged, this, &DiagnoseView::busyChanged);
    connect(session_, &DiagnoseSession::photoReady, details_, &DiagnosisDetails::setPhoto);
    connect(session_, &DiagnoseSession::heatmapReady, details_, &DiagnosisDetails::setHeatmap);
    connect(details_, &DiagnosisDetails::heatmapRequested, session_, &DiagnoseSession::requestHeatmap);
    connect(details_, &DiagnosisDetails::photoRequested, session_, &DiagnoseSession::requestPhoto);
    connect(model_, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
        const int shown = model_->rowOf(details_->shownCard());
        if ((shown >= from.row() && shown <= to.row()) || details_->shownCard() == 0)
            details_->refresh();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, &DiagnoseView::updatePages);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &DiagnoseView::updatePages);
    connect(model_, &QAbstractItemModel::modelReset, this, &DiagnoseView::updatePages);

    chooser_->setStatus({});
    updatePages();
    onProgress(0, 0, 0);
    updateSelection();
}

DiagnoseView::~DiagnoseView()
{
    // The widgets go before the session (and its model and worker thread): nothing shown may
    // hear from them while they are taken apart.
    disconnect(list_->selectionModel(), nullptr, this, nullptr);
    disconnect(model_, nullptr, this, nullptr);
    disconnect(session_, nullptr, this, nullptr);
    delete pages_;
}

QWidget* DiagnoseView::createCardsPane()
{
    details_ = new DiagnosisDetails(model_, this);
    // The banner while cards wait for a model.
    banner_ = new QFrame(this);
    banner_->setObjectName(QStringLiteral("noModelBanner"));
    banner_->setFrameShape(QFrame::StyledPanel);
    bannerText_ = new QLabel(banner_);
    bannerText_->setWordWrap(true);
    bannerText_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* bannerOpen = new QPushButton(tr("Open a Checkpoint…"), banner_);
    auto* bannerTrain = new QPushButton(tr("Train a Quick Model…"), banner_);
    connect(bannerOpen, &QPushButton::clicked, this, &DiagnoseView::openModelRequested);
    connect(bannerTrain, &QPushButton::clicked, this, [this] {
        // Until the Train view exists, the command is the way: shown here, ready to copy.
        bannerText_->setText(tr("Train a quick model from a terminal, then open the run folder:<br><code>%1</code>")
                                 .arg(noModel_->trainCommand().toHtmlEscaped()));
        emit trainQuickModelRequested();
    });
    auto* bannerLayout = new QHBoxLayout(banner_);
    bannerLayout->addWidget(bannerText_, 1);
    bannerLayout->addWidget(bannerOpen);
    bannerLayout->addWidget(bannerTrain);

    plants_ = new PlantStrip(model_, this);
    connect(plants_, &PlantStrip::plantClicked, this, [this](int plant) { selectRows(model_->rowsOfPlant(plant)); });
    connect(plants_, &PlantStrip::rebuilt, details_, &DiagnosisDetails::refresh);

    // The cards: a delegate over the model, so hundreds cost no widgets.
    list_ = new QListView(this);
    list_->setObjectName(QStringLiteral("cardList"));
    list_->setModel(model_);
    list_->setItemDelegate(new CardDelegate(model_, list_));
    list_->setViewMode(QListView::IconMode);
    list_->setMovement(QListView::Static);
    list_->setResizeMode(QListView::Adjust);
    list_->setUniformItemSizes(true);
    list_->setLayoutMode(QListView::Batched);
    list_->setBatchSize(200);
    list_->setSpacing(6);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    list_->setContextMenuPolicy(Qt::ActionsContextMenu);
    list_->setAcceptDrops(false);  // drops go to the view, which knows folders and plants
    list_->viewport()->setAcceptDrops(false);
    for (QAction* a : actions())
        list_->addAction(a);
    connect(list_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DiagnoseView::updateSelection);

    auto* dropHint = new QWidget(this);
    auto* dropLayout = new QVBoxLayout(dropHint);
    dropLayout->addStretch();
    auto* dropTitle = placeholderLabel(tr("Drop leaf photos or folders here"), dropHint);
    QFont big = dropTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    dropTitle->setFont(big);
    dropLayout->addWidget(dropTitle);
    dropLayout->addWidget(placeholderLabel(
        tr("or use Add Photos…, or paste them (Ctrl+V).\nA folder of up to %1 photos becomes one plant; photos of "
           "one plant can also be grouped later (Ctrl+G).")
            .arg(kMaxPlantPhotos),
        dropHint));
    dropLayout->addStretch();
    cardsPage_ = new QStackedWidget(this);
    cardsPage_->addWidget(dropHint);
    cardsPage_->addWidget(list_);

    auto* detailsScroll = new QScrollArea(this);
    detailsScroll->setWidget(details_);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    detailsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    detailsScroll->setMinimumWidth(340);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(banner_);
    leftLayout->addWidget(plants_);
    leftLayout->addWidget(cardsPage_, 1);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(detailsScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({920, 440});
    return splitter;
}

void DiagnoseView::createActions()
{
    auto make = [this](const QString& text, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // the other views keep their keys
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QStringLiteral("…")),
                                                    key.toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    groupAction_ = make(tr("Group as Plant"), QKeySequence(Qt::CTRL | Qt::Key_G), [this] { groupSelectedAsPlant(); });
    ungroupAction_ = make(tr("Ungroup"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), [this] { ungroupSelected(); });
    removeAction_ = make(tr("Remove"), QKeySequence::Delete, [this] { removeSelected(); });
    make(tr("Select All"), QKeySequence::SelectAll, [this] { list_->selectAll(); });
    make(tr("Paste Photos"), QKeySequence::Paste, [this] { pasteFromClipboard(); });
    exportAction_ = make(tr("Export CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { chooseAndExportCsv(); });
    make(tr("Stop Diagnosing"), QKeySequence(Qt::Key_Escape), [this] { cancel(); });
}

ModelRequest DiagnoseView::request(bool recipeViews) const
{
    ModelRequest r;
    r.path = modelPath_;
    r.device = device_;
    r.threads = threads_;
    r.recipeViews = recipeViews;
    r.runs = runs_->value();
    r.crops = crops_->value();
    return r;
}

bool DiagnoseView::isModelReady() const { return session_->isModelReady(); }

void DiagnoseView::setModelPath(const QString& path)
{
    if (path == modelPath_ && (session_->isModelReady() || session_->isModelLoading()))
        return;
    modelPath_ = path;
    chooser_->setCurrent(path);
    noModel_->setLoadError({});
    viewsTimer_->stop();
    if (path.isEmpty()) {
        session_->unload();
        chooser_->setStatus({});
    } else {
        session_->load(request(true), true);
        chooser_->setStatus(tr("Loading…"));
    }
    updatePages();
}

void DiagnoseView::onModelLoaded(const LoadedModel& info)
{
    {
        const QSignalBlocker a(runs_), b(crops_);
        runs_->setValue(info.runs);
        crops_->setValue(info.crops);
    }
    chooser_->setStatus(info.summary, info.description);
    noModel_->setLoadError({});
    updatePages();
    emit modelChanged(info.path);
}

void DiagnoseView::onModelFailed(const QString& path, const QString& message)
{
    const QString text = tr("Could not load the model: %1").arg(message.isEmpty() ? path : message);
    noModel_->setLoadError(text);
    chooser_->setStatus(tr("not loaded"), text);
    showStatus(text);
    updatePages();
}

void DiagnoseView::onProgress(int done, int total, double rate)
{
    const bool loading = session_->isModelLoading();
    const bool working = session_->isWorking();
    progress_->setVisible(working || loading);
    cancel_->setVisible(working);
    const int cancelled = working ? 0 : session_->cancelledCount();
    remaining_->setVisible(!working && cancelled > 0 && session_->isModelReady());
    if (loading) {
        progress_->setRange(0, 0);
        status_->setText(tr("Loading the model %1…").arg(ModelChooser::displayName(modelPath_)));
    } else if (working) {
        total = std::max(1, total);
        progress_->setRange(0, total);
        progress_->setValue(std::min(done, total));
        status_->setText(rate > 0 ? tr("Diagnosing %1 of %2 · %3 photos/s")
                                        .arg(std::min(done, total))
                                        .arg(photosText(total))
                                        .arg(rate, 0, 'f', 1)
                                  : tr("Diagnosing %1 of %2…").arg(std::min(done, total)).arg(photosText(total)));
    } else if (cancelled > 0) {
        status_->setText(tr("%1 not diagnosed (cancelled).").arg(photosText(cancelled)));
    } else {
        status_->setText(message_);
    }
    updateActions();
}

void DiagnoseView::showStatus(const QString& text)
{
    message_ = text;
    if (!session_->isWorking() && !session_->isModelLoading())
        status_->setText(text);
}

QString DiagnoseView::statusText() const { return status_->text(); }


void DiagnoseView::selectRows(const QList<int>& rows)
{
    QItemSelection selection;
    for (int r : rows)
        if (r >= 0 && r < model_->rowCount())
            selection.select(model_->index(r), model_->index(r));
    list_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!rows.isEmpty()) {
        list_->selectionModel()->setCurrentIndex(model_->index(rows.front()), QItemSelectionModel::NoUpdate);
        list_->scrollTo(model_->index(rows.front()));
    }
}

QList<int> DiagnoseView::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& i : list_->selectionModel()->selectedIndexes())
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

int DiagnoseView::groupSelectedAsPlant()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty()) {
        showStatus(tr("Select the photos of one plant first."));
        return 0;
    }
    const int plant = model_->groupAsPlant(rows);
    updateSelection();
    return plant;
}

void DiagnoseView::ungroupSelected()
{
    model_->ungroup(selectedRows());
    updateSelection();
}

void DiagnoseView::removeSelected()
{
    session_->removeCards(selectedRows());
    updateSelection();
}

void DiagnoseView::cancel() { session_->cancel(); }
void DiagnoseView::diagnoseRemaining() { session_->diagnoseRemaining(); }

void DiagnoseView::updateActions()
{
    const QList<int> rows = selectedRows();
    bool grouped = false;
    for (int r : rows)
        grouped = grouped || model_->cardAt(r).plant != 0;
    groupAction_->setEnabled(!rows.isEmpty());
    ungroupAction_->setEnabled(grouped);
    removeAction_->setEnabled(!rows.isEmpty());
    exportAction_->setEnabled(model_->rowCount() > 0);
}

void DiagnoseView::updateSelection()
{
    updateActions();
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        details_->showNothing();
    else
        details_->showSelection(rows);
}

void DiagnoseView::updatePages()
{
    const bool hasCards = model_->rowCount() > 0;
    const bool ready = session_->isModelReady(), loading = session_->isModelLoading();
    pages_->setCurrentIndex(!ready && !loading && !hasCards ? 0 : 1);
    cardsPage_->setCurrentIndex(hasCards ? 1 : 0);
    const bool waiting = !ready && !loading && hasCards;
    banner_->setVisible(waiting);
    if (waiting) {
        const QString error = noModel_->loadError();
        bannerText_->setText(error.isEmpty() ? tr("No model yet: the photos wait to be diagnosed. Open a checkpoint "
                                                  "or train a quick model on the open dataset.")
                                             : error);
    }
    exportAction_->setEnabled(hasCards);
}

bool DiagnoseView::isBusy() const { return session_->isBusy(); }
int DiagnoseView::cardCount() const { return model_->rowCount(); }
void DiagnoseView::setRecentModels(const QStringList& paths) { chooser_->setRecent(paths); }
void DiagnoseView::setDatasetRoot(const QString& root) { noModel_->setDatasetRoot(root); }

void DiagnoseView::setComputeOptions(const QString& device, int threads)
{
    const QString d = device.isEmpty() ? QStringLiteral("auto") : device;
    if (d == device_ && threads == threads_)
        return;
    device_ = d;
    threads_ = threads;
    if (session_->isModelReady() || session_->isModelLoading())
        session_->load(request(false), false);  // same views, same answers: only the cards in flight go again
}

void DiagnoseView::setAbstainOptions(const AbstainOptions& options)
{
    model_->setAbstainOptions(options);
    details_->refresh();
}

void DiagnoseView::setAdviceProvider(AdviceProvider provider) { details_->setAdviceProvider(std::move(provider)); }

void DiagnoseView::setViews(int runs, int crops)
{
    {
        const QSignalBlocker a(runs_), b(crops_);
        runs_->setValue(runs);
        crops_->setValue(crops);
    }
    viewsTimer_->stop();
    if (!modelPath_.isEmpty())
        session_->load(request(false), true);
}

int DiagnoseView::ttaRuns() const { return runs_->value(); }
int DiagnoseView::crops() const { return crops_->value(); }

}  // namespace cassava::ui
