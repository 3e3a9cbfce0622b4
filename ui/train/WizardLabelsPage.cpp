// The wizard's labels page: a review's corrections (decisions.csv: image_id,label) and the images
// it set aside (suspects.csv: image_id,...), read with the Trainer's own reader (buildTrainingSet),
// so the counts shown are the ones the run will have.
#include "TrainWizard.h"
#include "TrainWizardPages.h"

#include "Csv.h"
#include "Dataset.h"
#include "TrainingSet.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cassava::ui {
namespace {

QWidget* fileRow(QWidget* parent, QLineEdit* edit, const QString& title)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse..."), row);
    auto* clear = new QPushButton(QObject::tr("None"), row);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    layout->addWidget(clear);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, title] {
        const QString path = QFileDialog::getOpenFileName(edit, title, edit->text(), QObject::tr("CSV (*.csv);;All files (*)"));
        if (!path.isEmpty())
            edit->setText(path);
    });
    QObject::connect(clear, &QPushButton::clicked, edit, &QLineEdit::clear);
    return row;
}

}  // namespace

WizardLabelsPage::WizardLabelsPage(TrainWizard* wizard) : WizardPage(wizard)
{
    setTitle(tr("Labels"));
    setSubTitle(tr("Optional: train with a review's decisions. The dataset's train.csv is never changed; the run "
                   "records the files it used."));
    decisions_ = new QLineEdit(this);
    decisions_->setPlaceholderText(tr("none: labels as in train.csv"));
    suspects_ = new QLineEdit(this);
    suspects_->setPlaceholderText(tr("none: every valid image"));
    decisionsMessage_ = new FieldMessage(this);
    suspectsMessage_ = new FieldMessage(this);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    problems_ = new QPlainTextEdit(this);
    problems_->setReadOnly(true);
    problems_->setPlaceholderText(tr("No problems in these files."));

    auto* form = new QFormLayout;
    form->addRow(tr("Relabel (decisions.csv):"), fileRow(this, decisions_, tr("Decisions")));
    form->addRow(QString(), decisionsMessage_);
    form->addRow(tr("Leave out (suspects.csv):"), fileRow(this, suspects_, tr("Suspects")));
    form->addRow(QString(), suspectsMessage_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(problems_, 1);
    decisions_->setObjectName("decisions");
    summary_->setObjectName("labelsSummary");
    decisionsMessage_->setObjectName("decisionsMessage");
    suspectsMessage_->setObjectName("suspectsMessage");
    suspects_->setObjectName("suspects");
    for (QLineEdit* e : {decisions_, suspects_})
        connect(e, &QLineEdit::textChanged, this, &WizardLabelsPage::revalidate);
    connect(wizard, &TrainWizard::datasetChanged, this, &WizardLabelsPage::revalidate);
    revalidate();
}

void WizardLabelsPage::initializePage() { revalidate(); }

void WizardLabelsPage::setLabelsFile(const QString& path)
{
    // decisions.csv has a label column; suspects.csv lists image_ids (with its scores).
    bool decisions = false;
    try {
        ProblemList ignored;
        const CsvTable t = readCsvTable(path.toStdString(), {"image_id"}, ignored);
        decisions = t.column.count("label") > 0 && t.column.count("given_label") == 0;
    } catch (const std::exception&) {
        // Unreadable: shown as a suspects file, whose check then names the problem.
    }
    (decisions ? decisions_ : suspects_)->setText(path);
}

bool WizardLabelsPage::check()
{
    relabelled_ = excluded_ = unknown_ = 0;
    problems_->clear();
    const QString decisions = decisions_->text().trimmed(), suspects = suspects_->text().trimmed();
    bool ok = decisionsMessage_->setProblem(!decisions.isEmpty() && !QFileInfo(decisions).isFile()
                                                ? tr("%1: no such file").arg(decisions)
                                                : QString());
    ok = suspectsMessage_->setProblem(!suspects.isEmpty() && !QFileInfo(suspects).isFile()
                                          ? tr("%1: no such file").arg(suspects)
                                          : QString()) && ok;
    const auto dataset = trainWizard()->dataset();
    if (!ok || !dataset || (decisions.isEmpty() && suspects.isEmpty())) {
        summary_->setText(dataset ? tr("%1 images, labels as in train.csv.").arg(dataset->samples().size()) : QString());
        return ok;
    }
    TrainingSetOptions options;
    options.relabel = decisions.toStdString();
    options.exclude = suspects.toStdString();
    options.folds = 0;  // counting only: any split will do
    TrainingSet set;
    try {
        set = buildTrainingSet(*dataset, options);
    } catch (const std::exception& e) {
        // An unreadable file, or one without its columns: the message starts with its path.
        const QString why = QString::fromStdString(e.what());
        (!decisions.isEmpty() && why.startsWith(decisions) ? decisionsMessage_ : suspectsMessage_)->setProblem(why);
        summary_->clear();
        return false;
    }
    relabelled_ = set.relabeled;
    excluded_ = set.excluded;
    // Ids of the suspects that the dataset does not have (the relabel warnings count the others).
    int suspectsUnknown = 0;
    if (!suspects.isEmpty()) {
        ProblemList ignored;
        const CsvTable t = readCsvTable(options.exclude, {"image_id"}, ignored);  // read above: no throw
        for (const auto& r : t.rows)
            if (dataset->indexOf(t.field(r, "image_id")) < 0)
                ++suspectsUnknown;
    }
    int relabelUnknown = 0;
    QStringList lines;
    for (const auto& p : set.problems) {
        lines << QString::fromStdString(p.toString());
        if (p.message.find("not a valid image") != std::string::npos)
            ++relabelUnknown;
    }
    unknown_ = relabelUnknown + suspectsUnknown;
    problems_->setPlainText(lines.join('\n'));
    summary_->setText(tr("%1 images relabelled, %2 left out, %3 ids not in the dataset (ignored); %4 images "
                         "remain for training and validation.")
                          .arg(relabelled_)
                          .arg(excluded_)
                          .arg(unknown_)
                          .arg(set.samples.size()));
    // A file that could not be read at all, or without its columns, is a fatal problem.
    bool usable = true;
    for (const auto& p : set.problems) {
        if (p.severity != Problem::Severity::Fatal)
            continue;
        const bool aboutDecisions = !decisions.isEmpty() && QFileInfo(decisions).fileName().toStdString() == p.file;
        (aboutDecisions ? decisionsMessage_ : suspectsMessage_)
            ->setProblem(tr("This file cannot be used: %1").arg(QString::fromStdString(p.toString())));
        usable = false;
    }
    if (!usable)
        return false;
    if (set.samples.size() < 4) {
        summary_->setText(summary_->text() + " " + tr("Too few images remain to train."));
        return false;
    }
    return true;  // bad rows are left out by the trainer too; they are listed above
}

void WizardLabelsPage::load(const TrainConfig& c)
{
    decisions_->setText(QString::fromStdString(c.relabel));
    suspects_->setText(QString::fromStdString(c.exclude));
}

void WizardLabelsPage::apply(TrainConfig& c) const
{
    c.relabel = decisions_->text().trimmed().toStdString();
    c.exclude = suspects_->text().trimmed().toStdString();
}

}  // namespace cassava::ui
