#pragma once
// The details pane beside the cards: the selected photo large, with the Grad-CAM overlay (toggle,
// opacity, and the class it explains), what the diagnosis says in full, the advice for it, and
// the plant the photo belongs to with its consensus and advice. The pane only shows: the view
// decodes photos and asks the worker for heatmaps, and hands the results in.
#include "LabelMap.h"

#include <QImage>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QSlider;

namespace cassava::ui {

class ConfidenceBar;
class DiagnoseModel;
class ProbabilityBars;
struct LeafCard;

// Markdown advice for a class (ui/common/Advice.h's adviceMarkdown has this signature).
using AdviceProvider = std::function<QString(int label, const LabelMap& labels)>;
// What the pane shows until the advice texts are wired in: the class's name and a note.
QString placeholderAdvice(int label, const LabelMap& labels);

// The photo fitted into the widget, the overlay blended over it at `opacity`.
class PhotoCanvas : public QWidget {
    Q_OBJECT
public:
    explicit PhotoCanvas(QWidget* parent = nullptr);
    void setPhoto(const QImage& photo, const QString& placeholder = {});
    void setOverlay(const QImage& overlay);  // null: none
    void setOverlayOpacity(double opacity);
    bool hasOverlay() const { return !overlay_.isNull(); }
    QSize sizeHint() const override { return {420, 315}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage photo_, overlay_;
    QString placeholder_;
    double opacity_ = 0.6;
};

class DiagnosisDetails : public QWidget {
    Q_OBJECT
public:
    explicit DiagnosisDetails(const DiagnoseModel* model, QWidget* parent = nullptr);

    void setAdviceProvider(AdviceProvider provider);

    // What the pane is about; it re-reads the model on refresh().
    void showNothing();
    void showCard(quint64 id);
    void showSelection(const QList<int>& rows);  // several cards: one plant, or a summary
    void refresh();
    quint64 shownCard() const { return card_; }

    // Results from the view's loaders, for the card shown (others are ignored).
    void setPhoto(quint64 id, const QImage& photo, const QString& error = {});
    void setHeatmap(quint64 id, int target, const QImage& overlay, const QString& error = {});
    // The model changed: the overlay shown is another model's; ask again if it is wanted.
    void resetHeatmap();

    bool heatmapShown() const;
    bool overlayShown() const;  // the toggle is on and the overlay is in the picture
    void setHeatmapShown(bool shown);
    double overlayOpacity() const;
    void setOverlayOpacity(double opacity);
    int heatmapTarget() const;  // the class the overlay explains

    QString headlineText() const;  // the card's or plant's headline, as shown
    QString plantText() const;     // the plant section's headline and agreement, "" when hidden
    QString adviceText() const;

signals:
    // The overlay is wanted for the card shown and is not in the pane yet.
    void heatmapRequested(quint64 id, int target);
    void photoRequested(quint64 id);

private:
    void showCardSection(bool visible);
    void showPlantSection(int plant);
    void updateHeatmapRequest();

    const DiagnoseModel* model_;
    AdviceProvider advice_;
    quint64 card_ = 0;
    QList<int> selection_;
    int overlayTarget_ = -1;
    bool targetFollowsPrediction_ = true;  // until the user picks a class to explain

    QLabel* empty_ = nullptr;
    QWidget* cardSection_ = nullptr;
    PhotoCanvas* canvas_ = nullptr;
    QCheckBox* heatmapToggle_ = nullptr;
    QComboBox* heatmapClass_ = nullptr;
    QSlider* opacity_ = nullptr;
    QLabel* heatmapStatus_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* subline_ = nullptr;
    ConfidenceBar* confidence_ = nullptr;
    ProbabilityBars* probabilities_ = nullptr;
    QLabel* adviceLabel_ = nullptr;

    QFrame* plantSection_ = nullptr;
    QLabel* plantTitle_ = nullptr;
    QLabel* plantHeadline_ = nullptr;
    QLabel* plantAgreement_ = nullptr;
    ConfidenceBar* plantConfidence_ = nullptr;
    ProbabilityBars* plantProbabilities_ = nullptr;
    QLabel* plantAdvice_ = nullptr;
};

}  // namespace cassava::ui
