#include "ModelChooser.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>

namespace cassava::ui {

ModelChooser::ModelChooser(QWidget* parent) : QWidget(parent)
{
    auto* label = new QLabel(tr("Model:"), this);
    combo_ = new QComboBox(this);
    combo_->setObjectName(QStringLiteral("modelCombo"));
    combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo_->setMinimumContentsLength(16);
    combo_->setToolTip(tr("The model that diagnoses: a training run (its fold models together) or one checkpoint"));
    label->setBuddy(combo_);
    open_ = new QToolButton(this);
    open_->setText(tr("Open…"));
    open_->setToolTip(tr("Open a checkpoint (.ckpt) or a run folder"));
    status_ = new QLabel(this);
    status_->setForegroundRole(QPalette::PlaceholderText);
    // The model's description gives way first when the window is narrow (an explicit minimum
    // width replaces the label's text width as the layout's lower bound).
    status_->setMinimumWidth(status_->fontMetrics().averageCharWidth() * 8);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label);
    layout->addWidget(combo_);
    layout->addWidget(open_);
    layout->addWidget(status_);
    layout->addStretch(1);

    connect(open_, &QToolButton::clicked, this, &ModelChooser::openRequested);
    connect(combo_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QVariant data = combo_->itemData(index);
        if (!data.isValid()) {  // "Open a checkpoint…"
            rebuild();
            emit openRequested();
            return;
        }
        const QString path = data.toString();
        if (path != current_) {
            current_ = path;
            emit modelChosen(path);
        }
    });
    rebuild();
}

QString ModelChooser::displayName(const QString& path)
{
    if (path.isEmpty())
        return tr("No model");
    const QFileInfo info(path);
    if (info.isDir())
        return tr("%1 (run)").arg(info.fileName());
    // .../RUN/fold_K/best.ckpt says more as "RUN, fold K" than as "best.ckpt".
    const QDir parent = info.dir();
    if (parent.dirName().startsWith(QLatin1String("fold_"))) {
        QDir run = parent;
        run.cdUp();
        return tr("%1, %2/%3").arg(run.dirName(), parent.dirName(), info.fileName());
    }
    return info.fileName();
}

void ModelChooser::setRecent(const QStringList& paths)
{
    recent_ = paths;
    rebuild();
}

void ModelChooser::setCurrent(const QString& path)
{
    current_ = path;
    rebuild();
}

void ModelChooser::setStatus(const QString& text, const QString& tooltip)
{
    status_->setText(text);
    status_->setToolTip(tooltip);
}

void ModelChooser::rebuild()
{
    const QSignalBlocker block(combo_);
    combo_->clear();
    QStringList paths = recent_;
    if (current_.isEmpty())
        combo_->addItem(tr("No model"), QString());
    else if (!paths.contains(current_))
        paths.prepend(current_);  // the frame's list may not know it yet
    for (const QString& path : paths) {
        combo_->addItem(displayName(path), path);
        combo_->setItemData(combo_->count() - 1, path, Qt::ToolTipRole);
    }
    combo_->insertSeparator(combo_->count());
    combo_->addItem(tr("Open a checkpoint or run…"));
    const int index = combo_->findData(current_);
    combo_->setCurrentIndex(index >= 0 ? index : 0);
}

}  // namespace cassava::ui
