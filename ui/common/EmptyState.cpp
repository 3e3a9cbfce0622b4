#include "EmptyState.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cassava::ui {

EmptyState::EmptyState(const QString& iconPath, const QString& headline, const QString& text,
                       QWidget* parent)
    : QWidget(parent), headline_(new QLabel(headline, this)), text_(new QLabel(text, this))
{
    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(iconPath).pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);

    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    headline_->setFont(big);
    headline_->setAlignment(Qt::AlignCenter);
    headline_->setWordWrap(true);

    text_->setAlignment(Qt::AlignCenter);
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text_->setMaximumWidth(text_->fontMetrics().averageCharWidth() * 84);
    text_->setMinimumWidth(text_->fontMetrics().averageCharWidth() * 40);

    buttons_ = new QHBoxLayout;
    buttons_->setSpacing(12);
    buttons_->addStretch();
    buttons_->addStretch();

    auto* column = new QVBoxLayout;
    column->addWidget(icon);
    column->addSpacing(10);
    column->addWidget(headline_);
    column->addSpacing(6);
    // A word-wrapped label gets its height for its width only without an alignment flag, so
    // stretches centre it.
    auto* textRow = new QHBoxLayout;
    textRow->addStretch();
    textRow->addWidget(text_, 4);
    textRow->addStretch();
    column->addLayout(textRow);
    column->addSpacing(16);
    column->addLayout(buttons_);

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(3);
    layout->addLayout(column);
    layout->addStretch(4);
}

QPushButton* EmptyState::addAction(const QString& text)
{
    auto* button = new QPushButton(text, this);
    button->setMinimumWidth(button->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 11);
    const bool first = buttons_->count() == 2;
    button->setDefault(first);
    buttons_->insertWidget(buttons_->count() - 1, button);
    return button;
}

void EmptyState::setText(const QString& text) { text_->setText(text); }

void EmptyState::setHeadline(const QString& headline) { headline_->setText(headline); }

QString EmptyState::headline() const { return headline_->text(); }

QString EmptyState::text() const { return text_->text(); }

}  // namespace cassava::ui
