// The Review view's widgets: the toolbar (method, threshold, TTA re-scoring, progress), the list
// with its filters and pair matrix, the photo with the decision buttons, and the actions behind
// the keys.
#include "ReviewView.h"

#include "ImagePreview.h"
#include "PairMatrix.h"
#include "SuspectsModel.h"

#include <QAction>
#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace cassava::ui {

void ReviewView::buildToolbar(QWidget* page)
{
    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(new QLabel(tr("Method:")));
    methodBox_ = new QComboBox;
    methodBox_->addItem(tr("Recipe rule"), static_cast<int>(DenoiseMethod::Recipe));
    methodBox_->addItem(tr("Confident learning"), static_cast<int>(DenoiseMethod::Confident));
    methodBox_->setItemData(0, tr("Notebook B: the prediction differs from the label with a mean confidence of at "
                                  "least the threshold"),
                            Qt::ToolTipRole);
    methodBox_->setItemData(1, tr("cleanlab's confident learning: one threshold per class, its mean self-confidence"),
                            Qt::ToolTipRole);
    bar->addWidget(methodBox_);
    connect(methodBox_, &QComboBox::activated, this,
            [this](int i) { setMethod(static_cast<DenoiseMethod>(methodBox_->itemData(i).toInt())); });
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Threshold:")));
    thresholdSlider_ = new QSlider(Qt::Horizontal);
    thresholdSlider_->setRange(50, 100);
    thresholdSlider_->setValue(80);
    thresholdSlider_->setMinimumWidth(140);
    thresholdSlider_->setFocusPolicy(Qt::ClickFocus);  // the arrow keys move between suspects
    bar->addWidget(thresholdSlider_);
    thresholdLabel_ = new QLabel;
    thresholdLabel_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("≥ 0.00 ")));
    bar->addWidget(thresholdLabel_);
    connect(thresholdSlider_, &QSlider::valueChanged, this, [this](int v) { setThreshold(v / 100.0); });
    bar->addSpacing(8);
    rescoreButton_ = new QPushButton(tr("Re-score with TTA"));
    rescoreButton_->setToolTip(tr("Predict each suspect's fold again with test-time augmentation, as notebook B does "
                                  "(once; the scores are kept beside the journal)"));
    bar->addWidget(rescoreButton_);
    ttaRuns_ = new QSpinBox;
    ttaRuns_->setRange(2, 16);
    ttaRuns_->setValue(2);
    ttaRuns_->setPrefix(QStringLiteral("× "));
    ttaRuns_->setToolTip(tr("TTA runs per photo"));
    bar->addWidget(ttaRuns_);
    connect(rescoreButton_, &QPushButton::clicked, this, [this] { rescore(ttaRuns_->value()); });
    rescoreBar_ = new QProgressBar;
    rescoreBar_->setMaximumWidth(160);
    rescoreBar_->hide();
    bar->addWidget(rescoreBar_);
    cancelRescore_ = new QToolButton;
    cancelRescore_->setText(tr("Cancel"));
    cancelRescore_->hide();
    connect(cancelRescore_, &QToolButton::clicked, this, &ReviewView::cancelRescore);
    bar->addWidget(cancelRescore_);
    source_ = new QLabel;
    source_->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(source_);
    bar->addStretch(1);
    progress_ = new QLabel;
    bar->addWidget(progress_);
    bar->addSpacing(8);
    toolbar_ = bar;  // Export and Retrain join it once their actions exist
    static_cast<QVBoxLayout*>(page->layout())->addLayout(bar);
}

QWidget* ReviewView::buildList()
{
    auto* panel = new QWidget;
    auto* v = new QVBoxLayout(panel);
    v->setContentsMargins(0, 0, 0, 0);
    auto* filters = new QGridLayout;
    givenFilter_ = new QComboBox;
    suggestedFilter_ = new QComboBox;
    foldFilter_ = new QComboBox;
    decisionFilter_ = new QComboBox;
    filters->addWidget(new QLabel(tr("Given")), 0, 0);
    filters->addWidget(givenFilter_, 0, 1);
    filters->addWidget(new QLabel(tr("Suggested")), 0, 2);
    filters->addWidget(suggestedFilter_, 0, 3);
    filters->addWidget(new QLabel(tr("Fold")), 1, 0);
    filters->addWidget(foldFilter_, 1, 1);
    filters->addWidget(new QLabel(tr("Decision")), 1, 2);
    filters->addWidget(decisionFilter_, 1, 3);
    using D = SuspectsFilter::DecisionFilter;
    const std::pair<QString, D> decisions[] = {{tr("Any"), D::Any},         {tr("Undecided"), D::Undecided},
                                               {tr("Reviewed"), D::Reviewed}, {tr("Accepted"), D::Accept},
                                               {tr("Kept"), D::Keep},         {tr("Relabelled"), D::Relabel},
                                               {tr("Excluded"), D::Exclude},  {tr("Skipped"), D::Skip}};
    for (const auto& [text, d] : decisions)
        decisionFilter_->addItem(text, static_cast<int>(d));
    v->addLayout(filters);
    const auto applyFilters = [this] {
        proxy_->setGiven(givenFilter_->currentData().toInt());
        proxy_->setSuggested(suggestedFilter_->currentData().toInt());
        proxy_->setFold(foldFilter_->currentData().isValid() ? foldFilter_->currentData().toInt() : SuspectsFilter::anyFold);
        proxy_->setDecision(static_cast<D>(decisionFilter_->currentData().toInt()));
        pairs_->setSelected(proxy_->given() >= 0 && proxy_->suggested() >= 0 ? proxy_->given() : -1,
                            proxy_->given() >= 0 && proxy_->suggested() >= 0 ? proxy_->suggested() : -1);
        updateProgress();
        if (currentImageId().isEmpty())
            selectFirstUndecided();
    };
    for (QComboBox* box : {givenFilter_, suggestedFilter_, foldFilter_, decisionFilter_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        box->setFocusPolicy(Qt::ClickFocus);
        connect(box, &QComboBox::activated, this, applyFilters);
    }

    list_ = new QTreeView;
    list_->setModel(proxy_);
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setSortingEnabled(true);
    list_->setAlternatingRowColors(true);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    list_->sortByColumn(SuspectsModel::ScoreColumn, Qt::DescendingOrder);
    list_->header()->setStretchLastSection(true);
    list_->header()->setSectionResizeMode(SuspectsModel::PhotoColumn, QHeaderView::Interactive);
    list_->setColumnWidth(SuspectsModel::PhotoColumn, fontMetrics().horizontalAdvance(QStringLiteral("1000015157.jpg")) + 8);
    for (int c : {SuspectsModel::GivenColumn, SuspectsModel::SuggestedColumn})
        list_->setColumnWidth(c, fontMetrics().horizontalAdvance(QStringLiteral("Healthy")) + 36);
    list_->setColumnWidth(SuspectsModel::ScoreColumn, fontMetrics().horizontalAdvance(QStringLiteral("Score  ")));
    list_->setColumnWidth(SuspectsModel::FoldColumn, fontMetrics().horizontalAdvance(QStringLiteral("Fold  ")));
    connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ReviewView::currentChanged);
    v->addWidget(list_, 1);
    listCount_ = new QLabel;
    listCount_->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(listCount_);

    pairs_ = new PairMatrix;
    connect(pairs_, &PairMatrix::pairClicked, this, [this](int given, int suggested) {
        givenFilter_->setCurrentIndex(std::max(0, givenFilter_->findData(given)));
        suggestedFilter_->setCurrentIndex(std::max(0, suggestedFilter_->findData(suggested)));
        proxy_->setGiven(given);
        proxy_->setSuggested(suggested);
        updateProgress();
        selectFirstUndecided();
        list_->setFocus();
    });
    auto* pairsRow = new QHBoxLayout;
    pairsRow->addWidget(pairs_);
    pairsRow->addStretch(1);
    v->addLayout(pairsRow);
    panel->setMinimumWidth(300);
    return panel;
}

QWidget* ReviewView::buildCenter()
{
    auto* panel = new QWidget;
    auto* v = new QVBoxLayout(panel);
    v->setContentsMargins(4, 0, 4, 0);
    title_ = new QLabel;
    QFont f = title_->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    f.setBold(true);
    title_->setFont(f);
    v->addWidget(title_);
    photo_ = new ImagePreview;
    photo_->setFocusPolicy(Qt::ClickFocus);
    v->addWidget(photo_, 1);
    decisionRow_ = new QHBoxLayout;
    decisionRow_->setSpacing(4);
    v->addLayout(decisionRow_);  // filled by createActions()
    return panel;
}

void ReviewView::createActions()
{
    const auto make = [this](const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    acceptAction_ = make(tr("&Accept the Suggestion"), {QKeySequence(Qt::Key_A)}, [this] { decide(ReviewDecision::Accept); });
    keepAction_ = make(tr("&Keep the Given Label"), {QKeySequence(Qt::Key_K)}, [this] { decide(ReviewDecision::Keep); });
    for (int c = 0; c < 5; ++c) {
        const int key = Qt::Key_0 + c;
        relabelActions_ << make(tr("Relabel as %1").arg(QString::fromStdString(LabelMap::standard().shortName(c))),
                                {QKeySequence(key), QKeySequence(Qt::KeypadModifier | key)},
                                [this, c] { decide(ReviewDecision::Relabel, c); });
    }
    excludeAction_ = make(tr("E&xclude"), {QKeySequence(Qt::Key_Delete), QKeySequence(Qt::Key_Backspace)},
                          [this] { decide(ReviewDecision::Exclude); });
    skipAction_ = make(tr("&Skip"), {QKeySequence(Qt::Key_S)}, [this] { decide(ReviewDecision::Skip); });
    nextAction_ = make(tr("&Next Suspect"), {QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Down)}, &ReviewView::next);
    previousAction_ =
        make(tr("&Previous Suspect"), {QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_Up)}, &ReviewView::previous);
    exportAction_ = new QAction(tr("&Export…"), this);
    exportAction_->setToolTip(tr("Write decisions.csv and a cleaned train.csv into a folder (Ctrl+Shift+S)"));
    exportAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    exportAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(exportAction_, &QAction::triggered, this, &ReviewView::chooseExport);
    addAction(exportAction_);
    retrainAction_ = new QAction(tr("&Retrain on Cleaned Labels…"), this);
    retrainAction_->setToolTip(tr("Open the training wizard with this run's settings and the decisions as its labels"));
    connect(retrainAction_, &QAction::triggered, this, &ReviewView::retrain);
    addAction(retrainAction_);

    QHBoxLayout* row = decisionRow_;
    const auto button = [&](QAction* a, const QString& key) {
        auto* b = new QToolButton;
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setToolTip(tr("%1 (%2)").arg(a->text().remove('&'), key));
        b->setFocusPolicy(Qt::NoFocus);
        decisionButtons_ << b;
        row->addWidget(b);
        return b;
    };
    button(acceptAction_, QStringLiteral("A"));
    button(keepAction_, QStringLiteral("K"));
    row->addSpacing(8);
    for (int c = 0; c < relabelActions_.size(); ++c)
        button(relabelActions_[c], QString::number(c));
    row->addSpacing(8);
    button(excludeAction_, tr("Del"));
    button(skipAction_, QStringLiteral("S"));
    row->addStretch(1);
    for (QAction* a : {exportAction_, retrainAction_}) {
        auto* b = new QToolButton;
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setFocusPolicy(Qt::NoFocus);
        toolbar_->addWidget(b);
    }
}

QList<QAction*> ReviewView::menuActions() const
{
    QList<QAction*> actions{acceptAction_, keepAction_};
    actions += relabelActions_;
    actions += {excludeAction_, skipAction_, nextAction_, previousAction_, nullptr, exportAction_, retrainAction_};
    return actions;
}

}  // namespace cassava::ui
