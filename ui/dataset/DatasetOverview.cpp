#include "DatasetOverview.h"

#include "ClassCountChart.h"
#include "DatasetSummaryView.h"
#include "ProblemsView.h"

#include "Dataset.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

// A light panel with a border, so the overview reads as a few distinct cards.
QFrame* card(QWidget* parent)
{
    auto* frame = new QFrame(parent);
    frame->setObjectName("card");
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(QPalette::Base);
    frame->setFrameShape(QFrame::StyledPanel);
    return frame;
}

QLabel* heading(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

}  // namespace

DatasetOverview::DatasetOverview(QWidget* parent)
    : QWidget(parent),
      summary_(new DatasetSummaryView),
      chart_(new ClassCountChart),
      problems_(new ProblemsView),
      splitter_(new QSplitter(Qt::Vertical, this))
{
    QFrame* summaryCard = card(this);
    auto* summaryLayout = new QVBoxLayout(summaryCard);
    summaryLayout->setContentsMargins(18, 16, 18, 16);
    summaryLayout->addWidget(summary_);
    summaryLayout->addStretch();

    QFrame* chartCard = card(this);
    auto* chartLayout = new QVBoxLayout(chartCard);
    chartLayout->setContentsMargins(14, 12, 14, 8);
    chartLayout->setSpacing(4);
    chartLayout->addWidget(heading(tr("Images per class"), chartCard));
    chartLayout->addWidget(chart_, 1);

    auto* top = new QWidget(this);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(12);
    topLayout->addWidget(summaryCard, 2);
    topLayout->addWidget(chartCard, 3);

    QFrame* problemsCard = card(this);
    auto* problemsLayout = new QVBoxLayout(problemsCard);
    problemsLayout->setContentsMargins(14, 12, 14, 14);
    problemsLayout->addWidget(problems_);

    splitter_->addWidget(top);
    splitter_->addWidget(problemsCard);
    splitter_->setChildrenCollapsible(false);
    splitter_->setHandleWidth(12);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->addWidget(splitter_);
}

void DatasetOverview::setDataset(std::shared_ptr<const Dataset> dataset)
{
    dataset_ = std::move(dataset);
    if (!dataset_) {
        clear();
        return;
    }
    summary_->setDataset(*dataset_);
    chart_->setCounts(dataset_->labels(), dataset_->classCounts());
    // Shares the dataset's list: no copy of 20,000 problems.
    problems_->setProblems(
        std::shared_ptr<const ProblemList>(dataset_, &dataset_->problems()));
}

void DatasetOverview::setUnreadable(const QString& root, const QString& reason)
{
    dataset_.reset();
    summary_->setUnreadable(root, reason);
    chart_->clear();
    auto problems = std::make_shared<ProblemList>();
    problems->push_back({Problem::Severity::Fatal, {}, 0, reason.toStdString()});
    problems_->setProblems(std::move(problems));
}

void DatasetOverview::clear()
{
    dataset_.reset();
    summary_->clear();
    chart_->clear();
    problems_->clear();
}

QByteArray DatasetOverview::saveState() const { return splitter_->saveState(); }

void DatasetOverview::restoreState(const QByteArray& state) { splitter_->restoreState(state); }

}  // namespace cassava::ui
