#include "DatasetFilterBar.h"

#include "ClassColors.h"

#include "LabelMap.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

// A class's colour as a small rounded square, sharp at any device pixel ratio.
QIcon swatch(const QColor& color, qreal dpr)
{
    const int side = 12;
    QPixmap pixmap(QSize(side, side) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(color.darker(130));
    p.setBrush(color);
    p.drawRoundedRect(QRectF(0.5, 0.5, side - 1, side - 1), 3, 3);
    return QIcon(pixmap);
}

void setItemEnabled(QComboBox* box, int item, bool enabled)
{
    if (auto* model = qobject_cast<QStandardItemModel*>(box->model()))
        if (QStandardItem* i = model->item(item))
            i->setEnabled(enabled);
}

}  // namespace

DatasetFilterBar::DatasetFilterBar(QWidget* parent)
    : QWidget(parent),
      search_(new QLineEdit(this)),
      problem_(new QComboBox(this)),
      sort_(new QComboBox(this)),
      order_(new QToolButton(this)),
      cell_(new QToolButton(this)),
      shown_(new QLabel(this)),
      runNote_(new QLabel(this)),
      classRow_(new QHBoxLayout)
{
    search_->setPlaceholderText(tr("Search image id…"));
    search_->setClearButtonEnabled(true);
    search_->setMinimumWidth(160);
    connect(search_, &QLineEdit::textChanged, this, &DatasetFilterBar::searchChanged);

    problem_->setToolTip(tr("Show only photos with a problem"));
    problem_->addItem(tr("All photos"), static_cast<int>(ProblemFilter::All));
    problem_->addItem(tr("With problems"), static_cast<int>(ProblemFilter::AnyProblem));
    problem_->addItem(tr("Missing"), static_cast<int>(ProblemFilter::Missing));
    problem_->addItem(tr("Unreadable"), static_cast<int>(ProblemFilter::Unreadable));
    problem_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(problem_, &QComboBox::currentIndexChanged, this, [this] { emit problemFilterChanged(problemFilter()); });

    auto* sortLabel = new QLabel(tr("Sort:"), this);
    sort_->addItem(tr("Image id"), static_cast<int>(SortKey::ImageId));
    sort_->addItem(tr("Label"), static_cast<int>(SortKey::Label));
    sort_->addItem(tr("Predicted class"), static_cast<int>(SortKey::Predicted));
    sort_->addItem(tr("Confidence"), static_cast<int>(SortKey::Confidence));
    sort_->addItem(tr("Loss"), static_cast<int>(SortKey::Loss));
    sort_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(sort_, &QComboBox::currentIndexChanged, this, [this] {
        if (!internalChange_)
            wantedKey_ = sortKey();
        emitSort();
    });
    order_->setCheckable(true);  // checked: descending
    order_->setAutoRaise(true);
    connect(order_, &QToolButton::toggled, this, [this] {
        updateOrderButton();
        emitSort();
    });
    updateOrderButton();
    setRunAvailable(false);

    runNote_->setTextFormat(Qt::PlainText);
    runNote_->hide();
    QPalette notePalette = runNote_->palette();
    QColor subtle = notePalette.color(QPalette::WindowText);
    subtle.setAlphaF(0.65f);
    notePalette.setColor(QPalette::WindowText, subtle);
    runNote_->setPalette(notePalette);
    shown_->setPalette(notePalette);
    shown_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    cell_->setObjectName(QStringLiteral("confusionCell"));
    cell_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    cell_->setCheckable(true);  // drawn pressed: a filter that is on
    cell_->setToolTip(tr("Showing only a confusion-matrix cell's photos; click to show all"));
    cell_->hide();
    connect(cell_, &QToolButton::clicked, this, [this] {
        setConfusionCell({});
        emit confusionCellCleared();
    });

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(cell_);
    top->addWidget(search_, 2);
    top->addWidget(problem_);
    top->addSpacing(8);
    top->addWidget(sortLabel);
    top->addWidget(sort_);
    top->addWidget(order_);

    classRow_->setContentsMargins(0, 0, 0, 0);
    classRow_->setSpacing(10);
    auto* bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 0, 0);
    bottom->addLayout(classRow_);
    bottom->addStretch(1);
    bottom->addWidget(runNote_);
    bottom->addWidget(shown_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(top);
    layout->addLayout(bottom);
}

void DatasetFilterBar::setClasses(const LabelMap& labels)
{
    for (QCheckBox* b : classButtons_)
        delete b;
    classButtons_.clear();
    classNames_.clear();
    for (int label = 0; label < labels.size(); ++label) {
        auto* box = new QCheckBox(this);
        box->setChecked(true);
        box->setIcon(swatch(classColor(label), devicePixelRatioF()));
        box->setToolTip(tr("Show %1").arg(QString::fromStdString(labels.name(label))));
        box->setFocusPolicy(Qt::TabFocus);
        connect(box, &QCheckBox::toggled, this, [this, label](bool on) { emit classToggled(label, on); });
        classRow_->addWidget(box);
        classButtons_.push_back(box);
        classNames_.push_back(QString::fromStdString(labels.shortName(label)));
    }
    setClassCounts(std::vector<int>(static_cast<size_t>(labels.size()), 0));
}

void DatasetFilterBar::setClassCounts(const std::vector<int>& counts)
{
    for (size_t i = 0; i < classButtons_.size(); ++i)
        classButtons_[i]->setText(QStringLiteral("%1  %2").arg(classNames_[i], QLocale().toString(i < counts.size() ? counts[i] : 0)));
}

void DatasetFilterBar::setProblemCounts(int any, int missing, int unreadable)
{
    const QLocale locale;
    problem_->setItemText(1, tr("With problems (%1)").arg(locale.toString(any)));
    problem_->setItemText(2, tr("Missing (%1)").arg(locale.toString(missing)));
    problem_->setItemText(3, tr("Unreadable (%1)").arg(locale.toString(unreadable)));
}

void DatasetFilterBar::setRunAvailable(bool available, const QString& note)
{
    for (int i = 2; i < sort_->count(); ++i)
        setItemEnabled(sort_, i, available);
    sort_->setToolTip(available ? tr("Sort the photos") : tr("Open a run to sort by its predictions"));
    runNote_->setText(note);
    runNote_->setVisible(!note.isEmpty());
    runAvailable_ = available;
    internalChange_ = true;
    if (!available && DatasetBrowserFilter::needsPredictions(sortKey()))
        sort_->setCurrentIndex(sort_->findData(static_cast<int>(SortKey::ImageId)));
    else if (available && DatasetBrowserFilter::needsPredictions(wantedKey_))
        sort_->setCurrentIndex(sort_->findData(static_cast<int>(wantedKey_)));
    internalChange_ = false;
}

void DatasetFilterBar::setShown(int shown, int total)
{
    const QLocale locale;
    shown_->setText(shown == total ? tr("%1 photos").arg(locale.toString(total))
                                   : tr("Showing %1 of %2").arg(locale.toString(shown), locale.toString(total)));
}

QString DatasetFilterBar::searchText() const { return search_->text(); }

void DatasetFilterBar::setSearchText(const QString& text) { search_->setText(text); }

QCheckBox* DatasetFilterBar::classButton(int label) const
{
    return label >= 0 && label < classButtonCount() ? classButtons_[static_cast<size_t>(label)] : nullptr;
}

bool DatasetFilterBar::isClassShown(int label) const
{
    QCheckBox* b = classButton(label);
    return b && b->isChecked();
}

void DatasetFilterBar::setClassShown(int label, bool shown)
{
    if (QCheckBox* b = classButton(label))
        b->setChecked(shown);
}

DatasetFilterBar::ProblemFilter DatasetFilterBar::problemFilter() const
{
    return static_cast<ProblemFilter>(problem_->currentData().toInt());
}

void DatasetFilterBar::setProblemFilter(ProblemFilter filter)
{
    const int i = problem_->findData(static_cast<int>(filter));
    if (i >= 0)
        problem_->setCurrentIndex(i);
}

DatasetFilterBar::SortKey DatasetFilterBar::sortKey() const { return static_cast<SortKey>(sort_->currentData().toInt()); }

Qt::SortOrder DatasetFilterBar::sortOrder() const
{
    return order_->isChecked() ? Qt::DescendingOrder : Qt::AscendingOrder;
}

void DatasetFilterBar::setSort(SortKey key, Qt::SortOrder order)
{
    wantedKey_ = key;
    {
        const QSignalBlocker blockSort(sort_);
        const QSignalBlocker blockOrder(order_);
        const SortKey shown = runAvailable_ || !DatasetBrowserFilter::needsPredictions(key) ? key : SortKey::ImageId;
        const int i = sort_->findData(static_cast<int>(shown));
        if (i >= 0)
            sort_->setCurrentIndex(i);
        order_->setChecked(order == Qt::DescendingOrder);
        updateOrderButton();
    }
    emitSort();
}

void DatasetFilterBar::setConfusionCell(const QString& text)
{
    cell_->setText(text.isEmpty() ? QString() : text + QStringLiteral("  ✕"));
    cell_->setChecked(!text.isEmpty());
    cell_->setVisible(!text.isEmpty());
}

QString DatasetFilterBar::shownText() const { return shown_->text(); }

void DatasetFilterBar::emitSort() { emit sortChanged(sortKey(), sortOrder()); }

void DatasetFilterBar::updateOrderButton()
{
    const bool descending = order_->isChecked();
    order_->setText(descending ? QStringLiteral("↓") : QStringLiteral("↑"));
    order_->setToolTip(descending ? tr("Descending (click for ascending)") : tr("Ascending (click for descending)"));
}

}  // namespace cassava::ui
