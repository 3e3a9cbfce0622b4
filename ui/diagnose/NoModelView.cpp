#include "NoModelView.h"

#include "DiagnosisPainting.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

// A path as a shell reads it: quoted when it holds anything but the safe characters.
QString shellQuoted(const QString& s)
{
    static const QString safe = QStringLiteral("/._-+=:,@%");
    bool plain = !s.isEmpty();
    for (QChar c : s)
        if (!c.isLetterOrNumber() && !safe.contains(c))
            plain = false;
    if (plain)
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

}  // namespace

QString NoModelView::quickTrainCommand(const QString& datasetRoot)
{
    if (datasetRoot.isEmpty())
        return QStringLiteral("cassava train --data DATA --out RUN --preset quick");
    const QFileInfo data(datasetRoot);
    // The run goes beside the dataset, never inside it: the dataset folder stays the user's.
    const QString run = QDir(data.absolutePath()).filePath(data.fileName() + QStringLiteral("-quick-run"));
    return QStringLiteral("cassava train --data %1 --out %2 --preset quick")
        .arg(shellQuoted(data.absoluteFilePath()), shellQuoted(run));
}

NoModelView::NoModelView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("noModelView"));
    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/cassava-studio.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);

    auto* headline = new QLabel(tr("No model to diagnose with yet"), this);
    QFont big = headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    headline->setFont(big);
    headline->setAlignment(Qt::AlignCenter);

    auto* hint = new QLabel(tr("Diagnosing a photo needs a trained network: a checkpoint (.ckpt) or a training "
                               "run's folder.\nOpen one you have, or train a quick one on the open dataset "
                               "(a few minutes of CPU time)."),
                            this);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("modelLoadError"));
    error_->setAlignment(Qt::AlignCenter);
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->hide();

    auto* open = new QPushButton(tr("Open a Checkpoint…"), this);
    open->setObjectName(QStringLiteral("openModelButton"));
    open->setDefault(true);
    auto* train = new QPushButton(tr("Train a Quick Model…"), this);
    train->setObjectName(QStringLiteral("trainQuickModelButton"));
    for (QPushButton* b : {open, train})
        b->setMinimumWidth(b->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 13);
    connect(open, &QPushButton::clicked, this, &NoModelView::openModelRequested);
    connect(train, &QPushButton::clicked, this, &NoModelView::trainQuickModelRequested);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(12);
    buttons->addStretch();
    buttons->addWidget(open);
    buttons->addWidget(train);
    buttons->addStretch();

    auto* commandIntro = new QLabel(tr("Or train from a terminal, then open the run folder it writes:"), this);
    commandIntro->setAlignment(Qt::AlignCenter);
    command_ = new QLineEdit(this);
    command_->setObjectName(QStringLiteral("trainCommand"));
    command_->setReadOnly(true);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    command_->setFont(mono);
    copy_ = new QPushButton(tr("Copy"), this);
    copy_->setObjectName(QStringLiteral("copyTrainCommand"));
    connect(copy_, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(command_->text());
        copy_->setText(tr("Copied"));
    });
    datasetHint_ = new QLabel(this);
    datasetHint_->setAlignment(Qt::AlignCenter);
    datasetHint_->setWordWrap(true);
    datasetHint_->setForegroundRole(QPalette::PlaceholderText);

    auto* commandRow = new QHBoxLayout;
    commandRow->addStretch(1);
    commandRow->addWidget(command_, 6);
    commandRow->addWidget(copy_);
    commandRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(3);
    layout->addWidget(icon);
    layout->addSpacing(10);
    layout->addWidget(headline);
    layout->addSpacing(6);
    layout->addWidget(hint);
    layout->addWidget(error_);
    layout->addSpacing(16);
    layout->addLayout(buttons);
    layout->addSpacing(24);
    layout->addWidget(commandIntro);
    layout->addLayout(commandRow);
    layout->addWidget(datasetHint_);
    layout->addStretch(4);
    updateCommand();
}

void NoModelView::setDatasetRoot(const QString& root)
{
    datasetRoot_ = root;
    updateCommand();
}

void NoModelView::setLoadError(const QString& error)
{
    error_->setText(error);
    QPalette pal = error_->palette();
    pal.setColor(QPalette::WindowText, errorTextColor(palette()));
    error_->setPalette(pal);
    error_->setVisible(!error.isEmpty());
}

QString NoModelView::loadError() const { return error_->text(); }
QString NoModelView::trainCommand() const { return command_->text(); }

void NoModelView::updateCommand()
{
    command_->setText(quickTrainCommand(datasetRoot_));
    command_->setCursorPosition(0);
    copy_->setText(tr("Copy"));
    datasetHint_->setText(datasetRoot_.isEmpty()
                              ? tr("No dataset is open: open one first (Ctrl+O), or put your dataset folder in place "
                                   "of DATA and a new folder for the run in place of RUN.")
                              : tr("When it finishes, choose the run folder as the model (it is added to the list "
                                   "above once opened)."));
}

}  // namespace cassava::ui
