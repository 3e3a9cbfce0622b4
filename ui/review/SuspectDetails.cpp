#include "SuspectDetails.h"

#include "ClassColors.h"
#include "DiagnosisDetails.h"
#include "DiagnosisPainting.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

constexpr int kStripPhotos = 4;
constexpr QSize kStripCell(62, 47);

QLabel* heading(const QString& text)
{
    auto* l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

}  // namespace

SuspectDetails::SuspectDetails(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    givenLabel_ = new QLabel;
    suggestedLabel_ = new QLabel;
    fold_ = new QLabel;
    decision_ = new QLabel;
    for (QLabel* l : {givenLabel_, suggestedLabel_, fold_, decision_}) {
        l->setWordWrap(true);
        l->setTextFormat(Qt::RichText);
        layout->addWidget(l);
    }
    fold_->setForegroundRole(QPalette::PlaceholderText);
    bars_ = new ProbabilityBars;
    bars_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);  // narrows with the pane
    layout->addWidget(bars_);

    layout->addSpacing(6);
    layout->addWidget(heading(tr("Where the model looked")));
    auto* heat = new QGridLayout;
    givenHeatTitle_ = new QLabel;
    suggestedHeatTitle_ = new QLabel;
    givenHeat_ = new PhotoCanvas;
    suggestedHeat_ = new PhotoCanvas;
    for (PhotoCanvas* c : {givenHeat_, suggestedHeat_}) {
        c->setMinimumHeight(90);
        c->setMinimumWidth(120);
    }
    heat->addWidget(givenHeatTitle_, 0, 0);
    heat->addWidget(suggestedHeatTitle_, 0, 1);
    heat->addWidget(givenHeat_, 1, 0);
    heat->addWidget(suggestedHeat_, 1, 1);
    layout->addLayout(heat);

    layout->addSpacing(6);
    layout->addWidget(heading(tr("Photos the run is sure of")));
    layout->addWidget(makeStrip(&givenStripTitle_, &givenStrip_));
    layout->addWidget(makeStrip(&suggestedStripTitle_, &suggestedStrip_));
    layout->addStretch(1);
    clear();
}

QWidget* SuspectDetails::makeStrip(QLabel** title, QVector<QLabel*>* cells)
{
    auto* strip = new QWidget;
    auto* v = new QVBoxLayout(strip);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    *title = new QLabel;
    v->addWidget(*title);
    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    for (int i = 0; i < kStripPhotos; ++i) {
        auto* cell = new QLabel;
        cell->setFixedSize(kStripCell);
        cell->setAlignment(Qt::AlignCenter);
        cell->setAutoFillBackground(true);
        cell->setBackgroundRole(QPalette::AlternateBase);
        row->addWidget(cell);
        *cells << cell;
    }
    row->addStretch(1);
    v->addLayout(row);
    return strip;
}

void SuspectDetails::clear()
{
    given_ = suggested_ = -1;
    givenLabel_->setText(tr("No suspect selected."));
    suggestedLabel_->clear();
    fold_->clear();
    decision_->clear();
    bars_->setProbabilities({}, {}, -1, false);
    givenHeatTitle_->clear();
    suggestedHeatTitle_->clear();
    givenHeat_->setPhoto({}, {});
    suggestedHeat_->setPhoto({}, {});
    givenStripTitle_->clear();
    suggestedStripTitle_->clear();
    fillStrip(givenStrip_, {}, {});
    fillStrip(suggestedStrip_, {}, {});
    heatmapsShown_ = false;
}

void SuspectDetails::showSuspect(int given, int suggested, int fold, const std::vector<float>& probabilities,
                                 int ttaRuns, const QString& decision)
{
    const QPalette pal = palette();
    const auto line = [&](const QString& role, int label) {
        const QString name = labels_.contains(label) ? QString::fromStdString(labels_.name(label)).toHtmlEscaped() : QString::number(label);
        const double p = label >= 0 && label < static_cast<int>(probabilities.size()) ? probabilities[static_cast<size_t>(label)] : 0;
        return tr("%1 <b style='color:%2'>%3</b> %4 <span style='color:%5'>(%6)</span>")
            .arg(role, classTextColor(label, pal).name(), QString::number(label), name,
                 pal.color(QPalette::PlaceholderText).name(), percentText(p).toHtmlEscaped());
    };
    if (given != given_ || suggested != suggested_) {
        // Another pair: the strips it showed are of other classes.
        fillStrip(givenStrip_, {}, tr("loading…"));
        fillStrip(suggestedStrip_, {}, tr("loading…"));
    }
    given_ = given;
    suggested_ = suggested;
    givenLabel_->setText(line(tr("Given:"), given));
    suggestedLabel_->setText(line(tr("Suggested:"), suggested));
    fold_->setText(ttaRuns > 1 ? tr("Judged by fold %1's model (it never trained on this photo), mean of %2 TTA runs.")
                                     .arg(fold)
                                     .arg(ttaRuns)
                               : tr("Judged by fold %1's model, which never trained on this photo.").arg(fold));
    decision_->setText(decision.isEmpty() ? tr("<i>Undecided</i>") : tr("Decision: <b>%1</b>").arg(decision.toHtmlEscaped()));
    QStringList names;
    for (int c = 0; c < labels_.size(); ++c)
        names << QString::fromStdString(labels_.shortName(c));
    bars_->setProbabilities(probabilities, names, suggested, false);
    const auto shortName = [&](int label) {
        return labels_.contains(label) ? QString::fromStdString(labels_.shortName(label)) : QString::number(label);
    };
    givenHeatTitle_->setText(tr("for the given %1").arg(shortName(given)));
    suggestedHeatTitle_->setText(tr("for the suggested %1").arg(shortName(suggested)));
    givenStripTitle_->setText(tr("%1, as the run sees it:").arg(shortName(given)));
    suggestedStripTitle_->setText(tr("%1, as the run sees it:").arg(shortName(suggested)));
}

void SuspectDetails::setHeatmaps(const QImage& given, const QImage& suggested, const QString& error)
{
    const QString waiting = error.isEmpty() ? tr("Computing Grad-CAM…") : tr("No heatmap: %1").arg(error);
    givenHeat_->setPhoto(given, waiting);
    suggestedHeat_->setPhoto(suggested, waiting);
    heatmapsShown_ = (!given.isNull() && !suggested.isNull()) || !error.isEmpty();
}

void SuspectDetails::setExamples(int label, const QVector<QImage>& thumbnails)
{
    if (label == given_)
        fillStrip(givenStrip_, thumbnails, tr("none"));
    if (label == suggested_)
        fillStrip(suggestedStrip_, thumbnails, tr("none"));
}

void SuspectDetails::fillStrip(const QVector<QLabel*>& cells, const QVector<QImage>& thumbnails, const QString& empty)
{
    for (int i = 0; i < cells.size(); ++i) {
        if (i < thumbnails.size() && !thumbnails[i].isNull()) {
            const QImage s = thumbnails[i].scaled(kStripCell, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
            cells[i]->setPixmap(QPixmap::fromImage(s.copy((s.width() - kStripCell.width()) / 2,
                                                          (s.height() - kStripCell.height()) / 2, kStripCell.width(),
                                                          kStripCell.height())));
        } else {
            cells[i]->setPixmap({});
            cells[i]->setText(i == 0 ? empty : QString());
        }
    }
}

QString SuspectDetails::givenText() const { return givenLabel_->text(); }
QString SuspectDetails::suggestedText() const { return suggestedLabel_->text(); }
QString SuspectDetails::foldText() const { return fold_->text(); }
QString SuspectDetails::decisionText() const { return decision_->text(); }

}  // namespace cassava::ui
