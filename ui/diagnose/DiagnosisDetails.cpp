#include "DiagnosisDetails.h"

#include "CardDelegate.h"
#include "ClassColors.h"
#include "DiagnoseModel.h"
#include "DiagnosisPainting.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

QString placeholderAdvice(int label, const LabelMap& labels)
{
    const QString name = labels.contains(label) ? QString::fromStdString(labels.name(label))
                                                : QObject::tr("class %1").arg(label);
    return QObject::tr("**Advice: %1**\n\nWhat this disease is, how it spreads and what to do will be shown "
                       "here.")
        .arg(name);
}

// ---------------------------------------------------------------------------------------------

PhotoCanvas::PhotoCanvas(QWidget* parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMinimumHeight(180);
}

void PhotoCanvas::setPhoto(const QImage& photo, const QString& placeholder)
{
    photo_ = photo;
    placeholder_ = placeholder;
    updateGeometry();
    update();
}

void PhotoCanvas::setOverlay(const QImage& overlay)
{
    overlay_ = overlay;
    update();
}

void PhotoCanvas::setOverlayOpacity(double opacity)
{
    opacity_ = opacity;
    update();
}

int PhotoCanvas::heightForWidth(int width) const
{
    if (photo_.isNull() || photo_.width() == 0)
        return width * 3 / 4;
    // Portrait photos would push the diagnosis out of sight: at most 3:4 of the width, and short
    // enough to leave room for the rest of the pane.
    return std::min({width * 3 / 4, width * photo_.height() / photo_.width(), 340});
}

void PhotoCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    if (photo_.isNull()) {
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::AlternateBase));
        p.drawRoundedRect(rect(), 6, 6);
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    QSizeF s = photo_.size();
    s.scale(size(), Qt::KeepAspectRatio);
    const QRectF target((width() - s.width()) / 2, (height() - s.height()) / 2, s.width(), s.height());
    p.drawImage(target, photo_);
    if (!overlay_.isNull() && opacity_ > 0) {
        // overlayHeatmap is linear in its opacity: the full-opacity overlay painted at opacity a
        // over the photo is exactly overlayHeatmap(photo, heat, a).
        p.setOpacity(opacity_);
        p.drawImage(target, overlay_);
    }
}

// ---------------------------------------------------------------------------------------------

namespace {

QLabel* wrappedLabel(QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    return l;
}

QFont scaled(const QFont& base, double factor, bool bold)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * factor);
    f.setBold(bold);
    return f;
}

void setTextColour(QLabel* label, const QColor& colour)
{
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, colour);
    label->setPalette(pal);
}

}  // namespace

DiagnosisDetails::DiagnosisDetails(const DiagnoseModel* model, QWidget* parent)
    : QWidget(parent), model_(model), advice_(placeholderAdvice)
{
    empty_ = wrappedLabel(this);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setForegroundRole(QPalette::PlaceholderText);

    cardSection_ = new QWidget(this);
    canvas_ = new PhotoCanvas(cardSection_);
    heatmapToggle_ = new QCheckBox(tr("Where the model looked"), cardSection_);
    heatmapToggle_->setObjectName(QStringLiteral("heatmapToggle"));
    heatmapToggle_->setToolTip(tr("Grad-CAM: the parts of the photo that made the model choose the class, hot "
                                  "colours strongest"));
    heatmapClass_ = new QComboBox(cardSection_);
    heatmapClass_->setToolTip(tr("The class the heatmap explains"));
    opacity_ = new QSlider(Qt::Horizontal, cardSection_);
    opacity_->setObjectName(QStringLiteral("heatmapOpacity"));
    opacity_->setRange(0, 100);
    opacity_->setValue(60);
    opacity_->setToolTip(tr("Opacity of the heatmap"));
    heatmapStatus_ = new QLabel(cardSection_);
    heatmapStatus_->setForegroundRole(QPalette::PlaceholderText);
    name_ = new QLabel(cardSection_);
    name_->setForegroundRole(QPalette::PlaceholderText);
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    headline_ = wrappedLabel(cardSection_);
    headline_->setObjectName(QStringLiteral("detailsHeadline"));
    headline_->setFont(scaled(font(), 1.45, true));
    subline_ = wrappedLabel(cardSection_);
    confidence_ = new ConfidenceBar(cardSection_);
    probabilities_ = new ProbabilityBars(cardSection_);
    adviceLabel_ = wrappedLabel(cardSection_);
    adviceLabel_->setTextFormat(Qt::MarkdownText);
    adviceLabel_->setOpenExternalLinks(true);

    auto* heatmapRow = new QHBoxLayout;
    heatmapRow->addWidget(heatmapToggle_);
    heatmapRow->addWidget(heatmapClass_);
    heatmapRow->addWidget(opacity_, 1);
    auto* cardLayout = new QVBoxLayout(cardSection_);
    cardLayout->setContentsMargins(0, 0, 0, 0);
    cardLayout->addWidget(canvas_);
    cardLayout->addLayout(heatmapRow);
    cardLayout->addWidget(heatmapStatus_);
    cardLayout->addSpacing(4);
    cardLayout->addWidget(name_);
    cardLayout->addWidget(headline_);
    cardLayout->addWidget(subline_);
    cardLayout->addWidget(confidence_);
    cardLayout->addSpacing(4);
    cardLayout->addWidget(probabilities_);
    cardLayout->addSpacing(8);
    cardLayout->addWidget(adviceLabel_);

    plantSection_ = new QFrame(this);
    plantSection_->setObjectName(QStringLiteral("plantSection"));
    plantSection_->setFrameShape(QFrame::StyledPanel);
    plantTitle_ = wrappedLabel(plantSection_);
    plantTitle_->setFont(scaled(font(), 1.0, true));
    plantHeadline_ = wrappedLabel(plantSection_);
    plantHeadline_->setFont(scaled(font(), 1.3, true));
    plantAgreement_ = wrappedLabel(plantSection_);
    plantConfidence_ = new ConfidenceBar(plantSection_);
    plantProbabilities_ = new ProbabilityBars(plantSection_);
    plantAdvice_ = wrappedLabel(plantSection_);
    plantAdvice_->setTextFormat(Qt::MarkdownText);
    plantAdvice_->setOpenExternalLinks(true);
    auto* plantLayout = new QVBoxLayout(plantSection_);
    plantLayout->addWidget(plantTitle_);
    plantLayout->addWidget(plantHeadline_);
    plantLayout->addWidget(plantAgreement_);
    plantLayout->addWidget(plantConfidence_);
    plantLayout->addWidget(plantProbabilities_);
    plantLayout->addSpacing(6);
    plantLayout->addWidget(plantAdvice_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(empty_);
    layout->addWidget(cardSection_);
    layout->addSpacing(8);
    layout->addWidget(plantSection_);
    layout->addStretch(1);

    connect(heatmapToggle_, &QCheckBox::toggled, this, [this](bool on) {
        heatmapClass_->setEnabled(on);
        opacity_->setEnabled(on);
        if (!on)
            canvas_->setOverlay({});
        updateHeatmapRequest();
    });
    connect(heatmapClass_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        targetFollowsPrediction_ = false;
        canvas_->setOverlay({});
        overlayTarget_ = -1;
        updateHeatmapRequest();
    });
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) { canvas_->setOverlayOpacity(v / 100.0); });
    canvas_->setOverlayOpacity(opacity_->value() / 100.0);
    heatmapClass_->setEnabled(false);
    opacity_->setEnabled(false);
    showNothing();
}

void DiagnosisDetails::setAdviceProvider(AdviceProvider provider)
{
    advice_ = provider ? std::move(provider) : AdviceProvider(placeholderAdvice);
    refresh();
}

void DiagnosisDetails::showNothing()
{
    card_ = 0;
    selection_.clear();
    refresh();
}

void DiagnosisDetails::showCard(quint64 id)
{
    const bool changed = id != card_;
    card_ = id;
    selection_.clear();
    if (changed) {
        overlayTarget_ = -1;
        targetFollowsPrediction_ = true;
        canvas_->setOverlay({});
        const LeafCard* c = model_->card(id);
        canvas_->setPhoto(c ? c->thumbnail : QImage(), tr("Loading the photo…"));
        emit photoRequested(id);
    }
    refresh();
}

void DiagnosisDetails::showSelection(const QList<int>& rows)
{
    if (rows.size() == 1) {
        showCard(model_->cardAt(rows.front()).id);
        return;
    }
    card_ = 0;
    selection_ = rows;
    refresh();
}

void DiagnosisDetails::showCardSection(bool visible)
{
    cardSection_->setVisible(visible);
    empty_->setVisible(!visible);
}

void DiagnosisDetails::refresh()
{
    // The classes the heatmap can explain follow the model's labels.
    if (heatmapClass_->count() != model_->labels().size()) {
        const QSignalBlocker block(heatmapClass_);
        heatmapClass_->clear();
        for (int c = 0; c < model_->labels().size(); ++c)
            heatmapClass_->addItem(model_->shortName(c));
    }
    const LeafCard* card = card_ ? model_->card(card_) : nullptr;
    if (!card) {
        card_ = 0;
        showCardSection(false);
        int plant = -1;
        for (int r : selection_) {
            if (r < 0 || r >= model_->rowCount())
                continue;
            const int p = model_->cardAt(r).plant;
            plant = plant == -1 ? p : (plant == p ? p : 0);
        }
        if (selection_.isEmpty())
            empty_->setText(tr("Select a card to see the photo large, where the model looked, and advice."));
        else if (plant > 0)
            empty_->setText(tr("%1 photos of one plant selected.").arg(selection_.size()));
        else
            empty_->setText(tr("%1 photos selected.\nGroup them as one plant (Ctrl+G): a plant's diagnosis from "
                               "several leaves is more often right than one leaf's.")
                                .arg(selection_.size()));
        showPlantSection(plant > 0 ? plant : 0);
        return;
    }
    showCardSection(true);
    if (targetFollowsPrediction_ && card->predicted >= 0 && heatmapClass_->currentIndex() != card->predicted) {
        const QSignalBlocker block(heatmapClass_);
        heatmapClass_->setCurrentIndex(card->predicted);
        canvas_->setOverlay({});
        overlayTarget_ = -1;
    }
    name_->setText(card->name);
    name_->setToolTip(card->path);
    const auto verdict = model_->verdictOf(*card);
    QStringList names;
    for (int c = 0; c < model_->labels().size(); ++c)
        names.append(model_->shortName(c));
    const double confidence = static_cast<double>(model_->confidenceOf(*card));
    confidence_->setVisible(verdict.has_value());
    probabilities_->setVisible(verdict.has_value());
    heatmapToggle_->setEnabled(verdict.has_value());
    adviceLabel_->setVisible(false);
    setTextColour(headline_, palette().color(QPalette::WindowText));
    switch (card->state) {
    case CardState::Waiting: headline_->setText(tr("Waiting to be diagnosed…")); subline_->clear(); break;
    case CardState::Diagnosing: headline_->setText(tr("Diagnosing…")); subline_->clear(); break;
    case CardState::Cancelled:
        headline_->setText(tr("Not diagnosed"));
        subline_->setText(tr("The run was cancelled before this photo. \"Diagnose remaining\" continues."));
        break;
    case CardState::Error:
        headline_->setText(tr("Cannot read this photo"));
        setTextColour(headline_, errorTextColor(palette()));
        subline_->setText(card->error);
        break;
    case CardState::Done:
        if (*verdict == Verdict::Diagnosed) {
            headline_->setText(model_->fullName(card->predicted));
            setTextColour(headline_, classTextColor(card->predicted, palette()));
            subline_->setText(tr("%1 confident").arg(percentText(confidence)));
            adviceLabel_->setText(advice_(card->predicted, model_->labels()));
            adviceLabel_->setVisible(true);
        } else if (*verdict == Verdict::NotALeaf) {
            headline_->setText(tr("Not sure: this does not look like a cassava leaf"));
            subline_->setText(tr("Only %1 of the picture has a leaf's colours, so no disease is named. %2")
                                  .arg(percentText(card->plantShare), anotherPhotoRequest()));
        } else {
            headline_->setText(tr("Not sure"));
            subline_->setText(tr("The model is only %1 sure (it leans towards %2); below %3 no disease is named. %4")
                                  .arg(percentText(confidence), model_->shortName(card->predicted),
                                       percentText(static_cast<double>(model_->abstainOptions().minConfidence)),
                                       anotherPhotoRequest()));
        }
        confidence_->setConfidence(confidence, classColor(card->predicted),
                                   *verdict != Verdict::Diagnosed);
        probabilities_->setProbabilities(card->probabilities, names,
                                         *verdict == Verdict::Diagnosed ? card->predicted : -1,
                                         *verdict != Verdict::Diagnosed);
        break;
    }
    showPlantSection(card->plant);
    updateHeatmapRequest();
}

void DiagnosisDetails::showPlantSection(int plant)
{
    if (plant <= 0) {
        plantSection_->setVisible(false);
        return;
    }
    plantSection_->setVisible(true);
    const PlantDiagnosis d = model_->plantDiagnosis(plant);
    plantTitle_->setText(d.members == 1 ? tr("%1: 1 photo").arg(model_->plantName(plant))
                                        : tr("%1: %2 photos").arg(model_->plantName(plant), QString::number(d.members)));
    QStringList notes;
    if (d.notLeaves)
        notes << tr("%1 left out: not a leaf").arg(d.notLeaves);
    if (d.unreadable)
        notes << tr("%1 not diagnosed").arg(d.unreadable);
    const QString agreement = model_->agreementText(d);
    plantAgreement_->setText(notes.isEmpty() ? agreement : agreement + QStringLiteral(" (") + notes.join(", ") + ")");
    QStringList names;
    for (int c = 0; c < model_->labels().size(); ++c)
        names.append(model_->shortName(c));
    setTextColour(plantHeadline_, palette().color(QPalette::WindowText));
    const bool known = d.verdict.has_value();
    plantConfidence_->setVisible(known);
    plantProbabilities_->setVisible(known);
    plantAdvice_->setVisible(false);
    if (!known) {
        plantHeadline_->setText(tr("No diagnosis yet"));
        return;
    }
    const int label = d.consensus.predicted;
    const bool sure = *d.verdict == Verdict::Diagnosed;
    if (sure) {
        plantHeadline_->setText(tr("Plant: %1").arg(model_->fullName(label)));
        setTextColour(plantHeadline_, classTextColor(label, palette()));
        plantAdvice_->setText(advice_(label, model_->labels()));
        plantAdvice_->setVisible(true);
    } else {
        plantHeadline_->setText(tr("Plant: not sure (%1, leaning towards %2)")
                                    .arg(percentText(static_cast<double>(d.consensus.confidence)),
                                         model_->shortName(label)));
    }
    plantConfidence_->setConfidence(static_cast<double>(d.consensus.confidence), classColor(label),
                                    !sure);
    plantProbabilities_->setProbabilities(d.consensus.probabilities, names, sure ? label : -1, !sure);
}

void DiagnosisDetails::updateHeatmapRequest()
{
    const LeafCard* card = card_ ? model_->card(card_) : nullptr;
    if (!card || !heatmapToggle_->isChecked() || card->state != CardState::Done) {
        heatmapStatus_->clear();
        heatmapStatus_->setVisible(false);
        return;
    }
    const int target = heatmapClass_->currentIndex();
    if (target < 0 || (canvas_->hasOverlay() && overlayTarget_ == target))
        return;
    heatmapStatus_->setText(tr("Computing where the model looked…"));
    heatmapStatus_->setVisible(true);
    emit heatmapRequested(card_, target);
}

void DiagnosisDetails::setPhoto(quint64 id, const QImage& photo, const QString& error)
{
    if (id != card_)
        return;
    if (!photo.isNull())
        canvas_->setPhoto(photo);
    else if (const LeafCard* c = model_->card(id); !c || c->thumbnail.isNull())
        canvas_->setPhoto({}, error.isEmpty() ? tr("No picture") : error);
}

void DiagnosisDetails::setHeatmap(quint64 id, int target, const QImage& overlay, const QString& error)
{
    if (id != card_ || target != heatmapClass_->currentIndex() || !heatmapToggle_->isChecked())
        return;
    if (!error.isEmpty() || overlay.isNull()) {
        heatmapStatus_->setText(tr("No heatmap: %1").arg(error));
        heatmapStatus_->setVisible(true);
        return;
    }
    overlayTarget_ = target;
    canvas_->setOverlay(overlay);
    heatmapStatus_->setVisible(false);
}

void DiagnosisDetails::resetHeatmap()
{
    canvas_->setOverlay({});
    overlayTarget_ = -1;
    updateHeatmapRequest();
}

bool DiagnosisDetails::heatmapShown() const { return heatmapToggle_->isChecked(); }
bool DiagnosisDetails::overlayShown() const { return heatmapToggle_->isChecked() && canvas_->hasOverlay(); }
void DiagnosisDetails::setHeatmapShown(bool shown) { heatmapToggle_->setChecked(shown); }
double DiagnosisDetails::overlayOpacity() const { return opacity_->value() / 100.0; }
void DiagnosisDetails::setOverlayOpacity(double opacity) { opacity_->setValue(static_cast<int>(std::lround(opacity * 100))); }
int DiagnosisDetails::heatmapTarget() const { return heatmapClass_->currentIndex(); }

QString DiagnosisDetails::headlineText() const
{
    return cardSection_->isVisibleTo(this) ? headline_->text() : empty_->text();
}

QString DiagnosisDetails::plantText() const
{
    if (!plantSection_->isVisibleTo(this))
        return {};
    return plantHeadline_->text() + QStringLiteral("\n") + plantAgreement_->text();
}

QString DiagnosisDetails::adviceText() const
{
    QStringList parts;
    if (adviceLabel_->isVisibleTo(this))
        parts << adviceLabel_->text();
    if (plantSection_->isVisibleTo(this) && plantAdvice_->isVisibleTo(this))
        parts << plantAdvice_->text();
    return parts.join(QStringLiteral("\n\n"));
}

}  // namespace cassava::ui
