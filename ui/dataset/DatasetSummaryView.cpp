#include "DatasetSummaryView.h"

#include "ClassColors.h"

#include "Dataset.h"

#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>

#include <numeric>

namespace cassava::ui {

namespace {

// A number over its caption, the way dashboards show figures.
QLabel* addFigure(QGridLayout* grid, int column, const QString& caption, QWidget* parent)
{
    auto* value = new QLabel(QStringLiteral("—"), parent);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    value->setFont(big);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* label = new QLabel(caption, parent);
    label->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(value, 0, column);
    grid->addWidget(label, 1, column);
    return value;
}

QPixmap swatch(const QColor& color, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(0, 0, size, size), size / 4.0, size / 4.0);
    return pixmap;
}

QString firstFatal(const ProblemList& problems)
{
    for (const Problem& p : problems)
        if (p.severity == Problem::Severity::Fatal) {
            QString where = QString::fromStdString(p.file);
            if (p.line > 0)
                where += QStringLiteral(":%1").arg(p.line);
            const QString message = QString::fromStdString(p.message);
            return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
        }
    return {};
}

}  // namespace

DatasetSummaryView::DatasetSummaryView(QWidget* parent)
    : QWidget(parent), name_(new QLabel(this)), path_(new QLabel(this)), banner_(new QLabel(this))
{
    QFont title = name_->font();
    title.setPointSizeF(title.pointSizeF() * 1.6);
    title.setBold(true);
    name_->setFont(title);
    name_->setObjectName("datasetName");
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path_->setObjectName("datasetPath");
    path_->setForegroundRole(QPalette::PlaceholderText);
    path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path_->setWordWrap(true);

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(36);
    grid->setVerticalSpacing(0);
    images_ = addFigure(grid, 0, tr("training images"), this);
    classes_ = addFigure(grid, 1, tr("classes"), this);
    testImages_ = addFigure(grid, 2, tr("test images"), this);
    problems_ = addFigure(grid, 3, tr("problems"), this);
    grid->setColumnStretch(4, 1);

    banner_->setObjectName("fatalBanner");
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setStyleSheet(QStringLiteral(
        "QLabel#fatalBanner { background: #fbe9e9; color: #7a1620; border: 1px solid #e5b3b8;"
        " border-radius: 4px; padding: 8px 10px; }"));
    banner_->hide();

    classHeading_ = new QLabel(tr("Classes"), this);
    QFont bold = classHeading_->font();
    bold.setBold(true);
    classHeading_->setFont(bold);
    classTable_ = new QWidget(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(name_);
    layout->addWidget(path_);
    layout->addSpacing(14);
    layout->addLayout(grid);
    layout->addSpacing(8);
    layout->addWidget(banner_);
    layout->addSpacing(14);
    layout->addWidget(classHeading_);
    layout->addSpacing(4);
    layout->addWidget(classTable_);
    clear();
}

void DatasetSummaryView::setDataset(const Dataset& dataset)
{
    name_->setText(QString::fromStdString(dataset.name()));
    path_->setText(QDir::toNativeSeparators(QString::fromStdString(dataset.root())));
    setFigures(static_cast<int>(dataset.samples().size()), dataset.numClasses(),
               static_cast<int>(dataset.testImages().size()),
               static_cast<int>(dataset.problems().size()));
    setClassTable(dataset.labels(), dataset.classCounts());
    if (dataset.usable())
        setBanner({});
    else if (const QString fatal = firstFatal(dataset.problems()); !fatal.isEmpty())
        setBanner(tr("This dataset cannot be used — %1").arg(fatal));
    else
        setBanner(tr("This dataset cannot be used: no valid row of train.csv has its image."));
}

void DatasetSummaryView::setUnreadable(const QString& root, const QString& reason)
{
    name_->setText(QFileInfo(root).fileName());
    path_->setText(QDir::toNativeSeparators(root));
    setFigures(0, 0, 0, 1);
    setClassTable(LabelMap{}, {});
    setBanner(tr("This folder could not be read — %1").arg(reason));
}

void DatasetSummaryView::clear()
{
    name_->clear();
    path_->clear();
    images_->setText(QStringLiteral("—"));
    classes_->setText(QStringLiteral("—"));
    testImages_->setText(QStringLiteral("—"));
    problems_->setText(QStringLiteral("—"));
    setClassTable(LabelMap{}, {});
    setBanner({});
}

QString DatasetSummaryView::nameText() const { return name_->text(); }
QString DatasetSummaryView::imageCountText() const { return images_->text(); }
QString DatasetSummaryView::classCountText() const { return classes_->text(); }
QString DatasetSummaryView::testImageCountText() const { return testImages_->text(); }
QString DatasetSummaryView::problemCountText() const { return problems_->text(); }
bool DatasetSummaryView::bannerVisible() const { return !banner_->isHidden(); }

void DatasetSummaryView::setFigures(int images, int classes, int testImages, int problems)
{
    const QLocale locale;
    images_->setText(locale.toString(images));
    classes_->setText(locale.toString(classes));
    testImages_->setText(locale.toString(testImages));
    problems_->setText(locale.toString(problems));
}

void DatasetSummaryView::setClassTable(const LabelMap& labels, const std::vector<int>& counts)
{
    auto* table = new QWidget(this);
    auto* grid = new QGridLayout(table);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(5);
    const int total = std::accumulate(counts.begin(), counts.end(), 0);
    const int size = fontMetrics().height() - 3;
    const QLocale locale;
    for (int label = 0; label < static_cast<int>(counts.size()); ++label) {
        const int count = counts[static_cast<size_t>(label)];
        auto* colour = new QLabel(table);
        colour->setPixmap(swatch(classColor(label), size));
        auto* name = new QLabel(labels.contains(label) ? QString::fromStdString(labels.name(label))
                                                       : tr("Class %1").arg(label),
                                table);
        auto* number = new QLabel(locale.toString(count), table);
        number->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* share = new QLabel(total ? locale.toString(100.0 * count / total, 'f', 1) + " %"
                                       : QStringLiteral("–"),
                                 table);
        share->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        share->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(colour, label, 0);
        grid->addWidget(name, label, 1);
        grid->addWidget(number, label, 2);
        grid->addWidget(share, label, 3);
    }
    grid->setColumnStretch(1, 1);
    layout()->replaceWidget(classTable_, table);
    delete classTable_;
    classTable_ = table;
    classHeading_->setVisible(!counts.empty());
}

void DatasetSummaryView::setBanner(const QString& text)
{
    banner_->setText(text);
    banner_->setVisible(!text.isEmpty());
}

}  // namespace cassava::ui
