#include "PlantStrip.h"

#include "CardDelegate.h"
#include "DiagnoseModel.h"
#include "DiagnosisPainting.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QTimer>

namespace cassava::ui {

PlantStrip::PlantStrip(const DiagnoseModel* model, QWidget* parent) : QListWidget(parent), model_(model)
{
    setObjectName(QStringLiteral("plantList"));
    setFlow(QListView::LeftToRight);
    setWrapping(false);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSpacing(3);
    setFixedHeight(fontMetrics().height() * 2 + 22);
    setToolTip(tr("Plants: the consensus of their leaves. Click one to select its photos."));
    connect(this, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { emit plantClicked(item->data(Qt::UserRole).toInt()); });
    timer_ = new QTimer(this);
    timer_->setSingleShot(true);
    timer_->setInterval(0);  // many results in one event-loop turn: one rebuild
    connect(timer_, &QTimer::timeout, this, &PlantStrip::rebuild);
    connect(model_, &DiagnoseModel::plantsChanged, timer_, qOverload<>(&QTimer::start));
    hide();
}

void PlantStrip::rebuild()
{
    clear();
    const QList<Plant> plants = model_->plants();
    for (const Plant& p : plants) {
        const PlantDiagnosis d = model_->plantDiagnosis(p.id);
        QString verdict;
        if (!d.verdict)
            verdict = tr("waiting");
        else if (*d.verdict == Verdict::Diagnosed)
            verdict = tr("%1 %2").arg(model_->shortName(d.consensus.predicted),
                                      percentText(static_cast<double>(d.consensus.confidence)));
        else
            verdict = tr("not sure");
        const QString detail = d.verdict ? model_->agreementText(d)
                                         : (d.members == 1 ? tr("1 photo") : tr("%1 photos").arg(d.members));
        auto* item = new QListWidgetItem(tr("%1: %2\n%3").arg(p.name, verdict, detail));
        QPixmap dot(12, 12);
        dot.fill(Qt::transparent);
        {
            QPainter painter(&dot);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(Qt::NoPen);
            painter.setBrush(plantColor(p.id));
            painter.drawEllipse(0, 0, 12, 12);
        }
        item->setIcon(QIcon(dot));
        item->setData(Qt::UserRole, p.id);
        item->setToolTip(tr("Click to select this plant's photos"));
        addItem(item);
    }
    setVisible(!plants.isEmpty());
    emit rebuilt();
}

}  // namespace cassava::ui
