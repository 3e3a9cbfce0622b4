// The wizard's first page: which dataset, read off the GUI thread, with what it holds and what is
// wrong with it. Next waits for a dataset that can be trained on.
#include "TrainWizard.h"

#include "ClassCountChart.h"
#include "TrainWizardPages.h"

#include "DatasetOpener.h"

#include "Dataset.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cassava::ui {

WizardDatasetPage::WizardDatasetPage(TrainWizard* wizard, const QString& root)
    : WizardPage(wizard), openRoot_(root)
{
    setTitle(tr("Dataset"));
    setSubTitle(tr("The Kaggle-layout folder to train on: train.csv (image_id,label) and train_images/."));
    folder_ = new QLineEdit(this);
    folder_->setPlaceholderText(tr("dataset folder"));
    auto* browse = new QPushButton(tr("Browse..."), this);
    useOpen_ = new QPushButton(tr("Use the open dataset"), this);
    useOpen_->setVisible(!root.isEmpty());
    useOpen_->setToolTip(root);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    counts_ = new ClassCountChart(this);
    counts_->setMinimumHeight(170);
    counts_->setMaximumHeight(200);
    problems_ = new QPlainTextEdit(this);
    problems_->setReadOnly(true);
    problems_->setPlaceholderText(tr("No problems found."));
    message_ = new FieldMessage(this);
    folder_->setObjectName("folder");
    message_->setObjectName("datasetMessage");

    auto* row = new QHBoxLayout;
    row->addWidget(folder_, 1);
    row->addWidget(browse);
    row->addWidget(useOpen_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(message_);
    layout->addWidget(status_);
    layout->addWidget(counts_);
    layout->addWidget(new QLabel(tr("Problems:"), this));
    layout->addWidget(problems_, 1);

    opener_ = new DatasetOpener(this);
    connect(opener_, &DatasetOpener::opened, this, &WizardDatasetPage::showDataset);
    connect(opener_, &DatasetOpener::failed, this, [this](const QString& folder, const QString& reason) {
        failure_ = folder + ": " + reason;
        trainWizard()->setDataset(nullptr);
        status_->clear();
        revalidate();
    });
    connect(folder_, &QLineEdit::editingFinished, this, [this] {
        // Also sent when the field merely loses focus: only another folder is read again.
        if (QDir::cleanPath(folder_->text().trimmed()) != requested_)
            openFolder(folder_->text().trimmed());
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), folder_->text());
        if (!dir.isEmpty())
            openFolder(dir);
    });
    connect(useOpen_, &QPushButton::clicked, this, [this] { openFolder(openRoot_); });
    if (!root.isEmpty())
        openFolder(root);
    else
        revalidate();
}

void WizardDatasetPage::openFolder(const QString& root)
{
    folder_->setText(root);
    requested_ = QDir::cleanPath(root);
    failure_.clear();
    trainWizard()->setDataset(nullptr);
    counts_->clear();
    problems_->clear();
    if (root.isEmpty()) {
        revalidate();
        return;
    }
    status_->setText(tr("Reading %1...").arg(root));
    opener_->open(QDir::cleanPath(root));
    revalidate();
}

bool WizardDatasetPage::isReading() const { return opener_->isBusy(); }

void WizardDatasetPage::showDataset(std::shared_ptr<const Dataset> dataset)
{
    counts_->setCounts(dataset->labels(), dataset->classCounts());
    const int errors = countSeverity(dataset->problems(), Problem::Severity::Error) +
                       countSeverity(dataset->problems(), Problem::Severity::Fatal);
    const int warnings = countSeverity(dataset->problems(), Problem::Severity::Warning);
    status_->setText(tr("%1: %2 usable labelled images in %3 classes; %4 errors, %5 warnings.")
                         .arg(QString::fromStdString(dataset->root()))
                         .arg(dataset->samples().size())
                         .arg(dataset->numClasses())
                         .arg(errors)
                         .arg(warnings));
    QStringList lines;
    const size_t shown = std::min<size_t>(dataset->problems().size(), 500);
    for (size_t i = 0; i < shown; ++i)
        lines << QString::fromStdString(dataset->problems()[i].toString());
    if (shown < dataset->problems().size())
        lines << tr("... and %1 more").arg(dataset->problems().size() - shown);
    problems_->setPlainText(lines.join('\n'));
    trainWizard()->setDataset(std::move(dataset));
    revalidate();
}

QString WizardDatasetPage::reason() const
{
    if (!failure_.isEmpty())
        return failure_;
    if (folder_->text().trimmed().isEmpty())
        return tr("Choose a dataset folder.");
    if (isReading())
        return {};
    const auto dataset = trainWizard()->dataset();
    if (!dataset)
        return tr("The folder has not been read.");
    for (const auto& p : dataset->problems())
        if (p.severity == Problem::Severity::Fatal)
            return QString::fromStdString(p.toString());
    if (!dataset->usable() || dataset->samples().empty())
        return tr("No valid labelled image: nothing to train on.");
    int classes = 0;
    for (int n : dataset->classCounts())
        classes += n > 0 ? 1 : 0;
    if (classes < 2)
        return tr("All images are of one class: a classifier needs at least two.");
    if (dataset->samples().size() < 4)
        return tr("Only %1 images: at least 4 are needed (training and validation both need two).")
            .arg(dataset->samples().size());
    return {};
}

bool WizardDatasetPage::check()
{
    const QString why = reason();
    message_->setProblem(why);
    return why.isEmpty() && !isReading() && trainWizard()->dataset() != nullptr;
}

void WizardDatasetPage::load(const TrainConfig& c)
{
    if (!c.data.empty() && QDir::cleanPath(QString::fromStdString(c.data)) != QDir::cleanPath(folder_->text()))
        openFolder(QString::fromStdString(c.data));
}

void WizardDatasetPage::apply(TrainConfig& c) const
{
    if (const auto dataset = trainWizard()->dataset())
        c.data = dataset->root();
    else
        c.data = QDir::cleanPath(folder_->text().trimmed()).toStdString();
}

}  // namespace cassava::ui
