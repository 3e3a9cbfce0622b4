#include "EmptyStateView.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cassava::ui {

EmptyStateView::EmptyStateView(QWidget* parent) : QWidget(parent)
{
    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/cassava-studio.svg")).pixmap(112, 112));
    icon->setAlignment(Qt::AlignCenter);

    auto* headline = new QLabel(tr("No dataset open"), this);
    QFont big = headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setBold(true);
    headline->setFont(big);
    headline->setAlignment(Qt::AlignCenter);

    auto* hint = new QLabel(tr("Open a dataset folder (Ctrl+O) or the demo.\n"
                               "A dataset folder holds train.csv and train_images/, the way "
                               "Kaggle ships it.\nYou can also drop a folder onto this window."),
                            this);
    hint->setObjectName("emptyStateHint");
    hint->setAlignment(Qt::AlignCenter);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto* open = new QPushButton(tr("Open Dataset…"), this);
    open->setDefault(true);
    auto* demo = new QPushButton(tr("Open Demo Dataset"), this);
    for (QPushButton* button : {open, demo})
        button->setMinimumWidth(open->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 12);
    connect(open, &QPushButton::clicked, this, &EmptyStateView::openDatasetRequested);
    connect(demo, &QPushButton::clicked, this, &EmptyStateView::openDemoRequested);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(12);
    buttons->addStretch();
    buttons->addWidget(open);
    buttons->addWidget(demo);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(3);
    layout->addWidget(icon);
    layout->addSpacing(12);
    layout->addWidget(headline);
    layout->addSpacing(6);
    layout->addWidget(hint);
    layout->addSpacing(18);
    layout->addLayout(buttons);
    layout->addStretch(4);
}

}  // namespace cassava::ui
