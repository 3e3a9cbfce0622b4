#include "ReviewView.h"

#include "EmptyState.h"
#include "ImagePreview.h"
#include "PairMatrix.h"
#include "ReviewSession.h"
#include "SuspectDetails.h"
#include "SuspectsModel.h"

#include <QAction>
#include <QComboBox>
#include <QDataStream>
#include <QDir>
#include <QFontMetrics>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QThread>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <set>

namespace cassava::ui {

ReviewView::ReviewView(ReviewSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      model_(new SuspectsModel(session, this)),
      proxy_(new SuspectsFilter(this)),
      queue_(std::make_shared<PictureQueue>())
{
    proxy_->setSourceModel(model_);
    // One picture worker with every core for its network: two in parallel, one core each, made the
    // back-to-back case faster at 96 px but each picture 4x slower at 224 px (BENCHMARKS.md).
    // CASSAVA_REVIEW_WORKERS sets another number (bench_review measures 2 against 1).
    const int cores = std::max(1, QThread::idealThreadCount());
    const int asked = qEnvironmentVariableIntValue("CASSAVA_REVIEW_WORKERS");
    const int workers = asked > 0 ? std::min(asked, 8) : 1;
    for (int i = 0; i < workers; ++i) {
        auto* thread = new QThread(this);
        auto* worker = new ReviewWorker(queue_, std::max(1, cores / workers));
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->setObjectName(QStringLiteral("review pictures %1").arg(i));
        thread->start(QThread::LowPriority);
        connect(worker, &ReviewWorker::pictureReady, this, &ReviewView::pictureArrived);
        connect(worker, &ReviewWorker::examplesReady, this, &ReviewView::examplesArrived);
        threads_ << thread;
        workers_ << worker;
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    pages_ = new QStackedWidget;
    layout->addWidget(pages_);
    empty_ = new EmptyState(QStringLiteral(":/icons/view-review.svg"), tr("No run to review"),
                            tr("Open a k-fold training run: its out-of-fold predictions list the photos whose "
                               "label the models confidently disagree with, to accept, relabel, keep or exclude "
                               "each one from the keyboard."));
    connect(empty_->addAction(tr("Open Run…")), &QPushButton::clicked, this, &ReviewView::openRunRequested);
    pages_->addWidget(empty_);

    auto* page = new QWidget;
    auto* v = new QVBoxLayout(page);
    v->setContentsMargins(6, 6, 6, 6);
    buildToolbar(page);
    auto* split = split_ = new QSplitter(Qt::Horizontal);
    split->setChildrenCollapsible(false);
    split->addWidget(buildList());
    split->addWidget(buildCenter());
    details_ = new SuspectDetails;
    auto* scroll = new QScrollArea;
    scroll->setWidget(details_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(280);
    split->addWidget(scroll);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 0);
    split->setSizes({380, 560, 340});
    v->addWidget(split, 1);
    pages_->addWidget(page);

    createActions();
    connect(session_, &ReviewSession::opened, this, &ReviewView::sessionOpened);
    connect(session_, &ReviewSession::failed, this, &ReviewView::sessionFailed);
    connect(session_, &ReviewSession::closed, this, &ReviewView::sessionClosed);
    connect(session_, &ReviewSession::tableChanged, this, [this] {
        // New scores may suggest other classes and be sure of other photos: the heatmaps and the
        // strips made for the old ones go.
        resetPictures(session_->runDir());
        recompute(currentImageId());
    });
    connect(session_, &ReviewSession::decisionsChanged, this, &ReviewView::decisionsChanged);
    connect(session_, &ReviewSession::error, this, &ReviewView::statusMessage);
    if (session_->isOpen())
        sessionOpened();
}

void ReviewView::sessionOpened()
{
    resetPictures(session_->runDir());
    const LabelMap& labels = session_->journal()->dataset().labels();
    details_->setLabels(labels);
    for (QComboBox* box : {givenFilter_, suggestedFilter_}) {
        box->clear();
        box->addItem(tr("Any"), -1);
        for (int c = 0; c < labels.size(); ++c)
            box->addItem(QStringLiteral("%1 %2").arg(c).arg(QString::fromStdString(labels.shortName(c))), c);
    }
    for (int c = 0; c < relabelActions_.size(); ++c) {
        relabelActions_[c]->setVisible(c < labels.size());
        if (c < labels.size())
            relabelActions_[c]->setText(QStringLiteral("&%1 %2").arg(c).arg(QString::fromStdString(labels.shortName(c))));
    }
    if (session_->table().rows() == 0) {
        empty_->setHeadline(tr("Nothing to review in this run"));
        empty_->setText(tr("%1 has no out-of-fold predictions to find suspects in: %2\n\nTrain with k-fold "
                           "validation (the wizard's default) to write oof.csv.")
                            .arg(QDir::toNativeSeparators(session_->runDir()),
                                 session_->problems().value(0, tr("oof.csv is empty"))));
        pages_->setCurrentWidget(empty_);
        model_->setSuspects({}, method_);
        return;
    }
    pages_->setCurrentIndex(1);
    recompute();
    list_->setFocus();
}

void ReviewView::sessionFailed(const QString& runDir, const QString& message)
{
    model_->setSuspects({}, method_);
    empty_->setHeadline(tr("This run cannot be reviewed"));
    empty_->setText(tr("%1\n\n%2").arg(QDir::toNativeSeparators(runDir), message));
    pages_->setCurrentWidget(empty_);
}

void ReviewView::sessionClosed()
{
    resetPictures({});
    model_->setSuspects({}, method_);
    empty_->setHeadline(tr("No run to review"));
    pages_->setCurrentWidget(empty_);
}

QByteArray ReviewView::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << quint8(1) << static_cast<qint32>(method_) << threshold_ << static_cast<qint32>(ttaRuns_->value())
        << split_->saveState();
    return state;
}

void ReviewView::restoreState(const QByteArray& state)
{
    QDataStream in(state);
    quint8 version = 0;
    qint32 method = 0, runs = 2;
    double threshold = 0.8;
    QByteArray split;
    in >> version >> method >> threshold >> runs >> split;
    if (in.status() != QDataStream::Ok || version != 1)
        return;  // none yet, or an older layout: the defaults
    method_ = method == static_cast<qint32>(DenoiseMethod::Confident) ? DenoiseMethod::Confident : DenoiseMethod::Recipe;
    methodBox_->setCurrentIndex(std::max(0, methodBox_->findData(static_cast<int>(method_))));
    ttaRuns_->setValue(runs);
    split_->restoreState(split);
    setThreshold(threshold);  // recomputes when a run is open
    if (method_ == DenoiseMethod::Confident)
        recompute(currentImageId());
}

// Shown (the window switched to Review): the keys go to the list at once.
void ReviewView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (isShowingSuspects())
        list_->setFocus(Qt::OtherFocusReason);
}

bool ReviewView::isBusy() const
{
    return session_->isLoading() || isRescoring() || (!currentImageId().isEmpty() && !currentComplete_);
}

bool ReviewView::isShowingSuspects() const { return pages_->currentIndex() == 1; }
bool ReviewView::hasSuspects() const { return model_->rowCount() > 0; }
int ReviewView::suspectCount() const { return model_->rowCount(); }

void ReviewView::setMethod(DenoiseMethod method)
{
    method_ = method;
    methodBox_->setCurrentIndex(std::max(0, methodBox_->findData(static_cast<int>(method))));
    recompute(currentImageId());
}

void ReviewView::setThreshold(double threshold)
{
    threshold_ = std::clamp(threshold, 0.5, 1.0);
    const QSignalBlocker block(thresholdSlider_);
    thresholdSlider_->setValue(static_cast<int>(std::lround(threshold_ * 100)));
    if (method_ == DenoiseMethod::Recipe)
        recompute(currentImageId());
}

void ReviewView::recompute(const QString& keep)
{
    const bool recipe = method_ == DenoiseMethod::Recipe;
    thresholdSlider_->setEnabled(recipe);
    const int runs = session_->table().runs;
    thresholdLabel_->setText(recipe ? QStringLiteral("≥ %1").arg(QLocale().toString(threshold_, 'f', 2)) : QString());
    thresholdSlider_->setToolTip(
        recipe ? (runs > 1 ? tr("Mean confidence over %1 TTA runs of at least %2 (a sum of %3)")
                                 .arg(runs)
                                 .arg(threshold_, 0, 'f', 2)
                                 .arg(threshold_ * runs, 0, 'f', 2)
                           : tr("Confidence of the predicted class of at least %1").arg(threshold_, 0, 'f', 2))
               : tr("Confident learning sets one threshold per class: its mean self-confidence"));
    source_->setText(runs > 1 ? tr("scores: mean of %1 TTA runs").arg(runs) : tr("scores: oof.csv"));
    source_->setToolTip(QDir::toNativeSeparators(session_->tableSource()));
    if (!session_->isOpen()) {
        model_->setSuspects({}, method_);
        return;
    }
    model_->setSuspects(findSuspects(session_->table(), {method_, threshold_}), method_);
    if (model_->rowCount() > 0) {
        QFont bold = list_->font();  // undecided rows are bold
        bold.setBold(true);
        list_->setColumnWidth(SuspectsModel::PhotoColumn, QFontMetrics(bold).horizontalAdvance(model_->imageId(0)) + 16);
    }
    updateFilters();
    updatePairs();
    updateProgress();
    const QModelIndex kept = proxy_->mapFromSource(model_->index(model_->rowOf(keep), 0));
    if (!keep.isEmpty() && kept.isValid())
        selectProxyRow(kept.row());
    else if (proxy_->rowCount() > 0)
        selectFirstUndecided();  // reopening resumes at the first undecided
    else
        showCurrent();
    emit suspectsChanged(model_->rowCount());
}

void ReviewView::updateFilters()
{
    std::set<int> folds;
    for (const Suspect& s : model_->suspects())
        folds.insert(session_->table().folds.at(s.row));
    const QVariant wanted = foldFilter_->currentData();
    foldFilter_->clear();
    foldFilter_->addItem(tr("Any"));
    for (int f : folds)
        foldFilter_->addItem(QString::number(f), f);
    const int i = wanted.isValid() ? foldFilter_->findData(wanted) : 0;
    foldFilter_->setCurrentIndex(std::max(0, i));
    if (i < 0)
        proxy_->setFold(SuspectsFilter::anyFold);
}

void ReviewView::updatePairs()
{
    const int classes = std::max(session_->table().classes, 1);
    std::vector<std::vector<int>> counts(static_cast<size_t>(classes), std::vector<int>(static_cast<size_t>(classes), 0));
    for (const Suspect& s : model_->suspects())
        ++counts[static_cast<size_t>(s.givenLabel)][static_cast<size_t>(s.suggestedLabel)];
    QStringList names;
    const LabelMap& labels = session_->journal()->dataset().labels();
    for (int c = 0; c < classes; ++c)
        names << (labels.contains(c) ? QString::fromStdString(labels.shortName(c)) : QString::number(c));
    pairs_->setCounts(counts, names);
}

int ReviewView::reviewedCount() const
{
    int n = 0;
    for (int r = 0; r < model_->rowCount(); ++r)
        n += model_->isReviewed(r) ? 1 : 0;
    return n;
}

QString ReviewView::progressText() const
{
    int counts[5] = {0, 0, 0, 0, 0};
    int reviewed = 0;
    for (int r = 0; r < model_->rowCount(); ++r)
        if (const ReviewItem* item = session_->decisionOf(model_->imageId(r))) {
            ++counts[static_cast<int>(item->decision)];
            reviewed += item->decision != ReviewDecision::Skip;
        }
    const QLocale l;
    QString text = tr("%1 of %2 reviewed").arg(l.toString(reviewed), l.toString(model_->rowCount()));
    QStringList parts;
    const std::pair<ReviewDecision, QString> names[] = {{ReviewDecision::Accept, tr("accepted")},
                                                        {ReviewDecision::Relabel, tr("relabelled")},
                                                        {ReviewDecision::Keep, tr("kept")},
                                                        {ReviewDecision::Exclude, tr("excluded")},
                                                        {ReviewDecision::Skip, tr("skipped")}};
    for (const auto& [d, name] : names)
        if (counts[static_cast<int>(d)] > 0)
            parts << QStringLiteral("%1 %2").arg(l.toString(counts[static_cast<int>(d)]), name);
    if (!parts.isEmpty())
        text += QStringLiteral(" · ") + parts.join(QStringLiteral(", "));
    return text;
}

void ReviewView::updateProgress()
{
    progress_->setText(progressText());
    const int shown = proxy_->rowCount(), all = model_->rowCount();
    const QLocale l;
    const QString suspects = all == 1 ? tr("1 suspect") : tr("%1 suspects").arg(l.toString(all));
    listCount_->setText(shown == all ? suspects : tr("%1 of %2 match the filters").arg(l.toString(shown), suspects));
    const bool any = all > 0;
    for (QAction* a : menuActions())
        if (a && a != exportAction_ && a != retrainAction_)
            a->setEnabled(any);
    const bool decided = session_->journal() && !session_->journal()->decisions().empty();
    exportAction_->setEnabled(decided);
    retrainAction_->setEnabled(decided);
    rescoreButton_->setEnabled(session_->isOpen() && session_->table().rows() > 0 && !rescoring_);
}

QString ReviewView::currentImageId() const
{
    const QModelIndex current = list_->currentIndex();
    return current.isValid() ? current.data(SuspectsModel::ImageIdRole).toString() : QString();
}

bool ReviewView::showSuspect(const QString& imageId)
{
    const int row = model_->rowOf(imageId);
    if (row < 0)
        return false;
    QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
    if (!index.isValid()) {  // hidden by a filter
        for (QComboBox* box : {givenFilter_, suggestedFilter_, foldFilter_, decisionFilter_})
            box->setCurrentIndex(0);
        proxy_->setGiven(-1);
        proxy_->setSuggested(-1);
        proxy_->setFold(SuspectsFilter::anyFold);
        proxy_->setDecision(SuspectsFilter::DecisionFilter::Any);
        pairs_->setSelected(-1, -1);
        index = proxy_->mapFromSource(model_->index(row, 0));
    }
    selectProxyRow(index.row());
    return true;
}

void ReviewView::selectProxyRow(int row)
{
    const QModelIndex index = proxy_->index(row, 0);
    if (!index.isValid())
        return;
    list_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    list_->scrollTo(index);
}

// The first undecided suspect in the list's order, or the first row when all are decided.
void ReviewView::selectFirstUndecided()
{
    if (proxy_->rowCount() > 0)
        selectProxyRow(std::max(0, nextUndecidedRow(-1, {})));
}

void ReviewView::next()
{
    const int row = list_->currentIndex().row();
    if (row + 1 < proxy_->rowCount())
        selectProxyRow(row + 1);
}

void ReviewView::previous()
{
    const int row = list_->currentIndex().row();
    if (row > 0)
        selectProxyRow(row - 1);
}

int ReviewView::nextUndecidedRow(int from, const QSet<QString>& deciding) const
{
    const int n = proxy_->rowCount();
    for (int k = 1; k <= n; ++k) {
        const int row = ((from + k) % n + n) % n;
        const QString id = proxy_->index(row, 0).data(SuspectsModel::ImageIdRole).toString();
        if (deciding.contains(id))
            continue;
        const ReviewItem* item = session_->decisionOf(id);
        if (!item || item->decision == ReviewDecision::Skip)
            return row;
    }
    return -1;
}

QStringList ReviewView::targetIds() const
{
    QStringList ids;
    const QModelIndexList rows = list_->selectionModel()->selectedRows();
    if (rows.size() > 1) {
        QList<int> order;
        for (const QModelIndex& i : rows)
            order << i.row();
        std::sort(order.begin(), order.end());
        for (int r : order)
            ids << proxy_->index(r, 0).data(SuspectsModel::ImageIdRole).toString();
        return ids;
    }
    const QString current = currentImageId();
    if (!current.isEmpty())
        ids << current;
    return ids;
}

bool ReviewView::decide(ReviewDecision decision, int label)
{
    const QStringList ids = targetIds();
    if (ids.isEmpty() || !session_->isOpen())
        return false;
    std::vector<int> labels;
    if (decision == ReviewDecision::Accept)
        for (const QString& id : ids)
            labels.push_back(model_->suspect(model_->rowOf(id)).suggestedLabel);
    else if (decision == ReviewDecision::Relabel)
        labels = {label};
    std::vector<ReviewItem> items;
    try {
        items = session_->items(ids, decision, labels);
    } catch (const std::exception& e) {
        emit statusMessage(QString::fromStdString(e.what()));
        return false;
    }
    // Where to go next, before the decision can filter rows out of the list.
    int from = -1;
    for (const QString& id : ids)
        from = std::max(from, proxy_->mapFromSource(model_->index(model_->rowOf(id), 0)).row());
    const QSet<QString> deciding(ids.begin(), ids.end());
    const int target = nextUndecidedRow(from, deciding);
    const QString nextId = target >= 0 ? proxy_->index(target, 0).data(SuspectsModel::ImageIdRole).toString() : QString();
    if (!session_->decide(items))
        return false;
    if (!nextId.isEmpty())
        showSuspect(nextId);
    else
        emit statusMessage(tr("Every suspect in the list is reviewed: %1.").arg(progressText()));
    return true;
}

void ReviewView::decisionsChanged(const QStringList& ids)
{
    model_->decisionsChanged(ids);  // the proxy filters the changed rows again by itself
    updateProgress();
    const QString current = currentImageId();
    if (ids.contains(current))
        showCurrent();
    else if (current.isEmpty())
        selectFirstUndecided();
}

void ReviewView::currentChanged() { showCurrent(); }

void ReviewView::showCurrent()
{
    const QString id = currentImageId();
    if (id.isEmpty()) {
        title_->setText(model_->rowCount() == 0 ? tr("No suspects at this threshold") : tr("No suspect matches the filters"));
        details_->clear();
        photo_->setMessage(model_->rowCount() == 0 ? tr("The models agree with every label at this setting.") : QString());
        shownId_.clear();
        currentComplete_ = false;
        return;
    }
    const int row = model_->rowOf(id);
    const Suspect& s = model_->suspect(row);
    const ProbabilityTable& table = session_->table();
    const float* p = table.row(s.row);
    const QModelIndex decisionIndex = model_->index(row, SuspectsModel::DecisionColumn);
    title_->setText(tr("%1  ·  %2 of %3").arg(id).arg(list_->currentIndex().row() + 1).arg(proxy_->rowCount()));
    details_->showSuspect(s.givenLabel, s.suggestedLabel, table.folds.at(s.row),
                          std::vector<float>(p, p + table.classes), table.runs, decisionIndex.data().toString());
    const LabelMap& labels = session_->journal()->dataset().labels();
    acceptAction_->setText(tr("&Accept %1").arg(QString::fromStdString(labels.shortName(s.suggestedLabel))));
    keepAction_->setText(tr("&Keep %1").arg(QString::fromStdString(labels.shortName(s.givenLabel))));

    const SuspectPicture* pic = picture(id);
    if (id != shownId_) {
        if (pic && !pic->photo.isNull())
            photo_->setImage(pic->photo);
        else if (pic)
            photo_->setMessage(pic->error, true);
        else
            photo_->setMessage(tr("Loading %1…").arg(id));
    }
    if (pic)
        details_->setHeatmaps(pic->givenHeatmap, pic->suggestedHeatmap, pic->error.isEmpty() ? pic->heatmapError : pic->error);
    else
        details_->setHeatmaps({}, {});
    for (int label : {s.givenLabel, s.suggestedLabel}) {
        if (examples_.contains(label))
            details_->setExamples(label, examples_.value(label));
        else
            requestExamples(label);
    }
    shownId_ = id;
    currentComplete_ = pic && pic->complete();
    emit suspectShown(id, currentComplete_);
    prefetch();
}

}  // namespace cassava::ui
