#include "BusyView.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace cassava::ui {

BusyView::BusyView(QWidget* parent) : QWidget(parent), label_(new QLabel(this))
{
    QFont font = label_->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    label_->setFont(font);
    label_->setAlignment(Qt::AlignCenter);
    label_->setWordWrap(true);

    auto* bar = new QProgressBar(this);
    bar->setRange(0, 0);  // indeterminate
    bar->setTextVisible(false);
    bar->setFixedWidth(280);

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(3);
    layout->addWidget(label_);
    layout->addSpacing(10);
    layout->addWidget(bar, 0, Qt::AlignHCenter);
    layout->addStretch(4);
}

void BusyView::setText(const QString& text) { label_->setText(text); }

QString BusyView::text() const { return label_->text(); }

}  // namespace cassava::ui
