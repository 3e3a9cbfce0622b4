#pragma once
// The side pane of the Review view: what one suspect rests on. The given and the suggested label
// with their disease names, the run's probability for every class, the fold model that judged it,
// its Grad-CAM for the given class beside the one for the suggested class, and for each of the
// two classes a strip of training photos the run is sure are that class, to compare with.
#include "LabelMap.h"

#include <QImage>
#include <QVector>
#include <QWidget>

#include <vector>

class QLabel;

namespace cassava::ui {

class PhotoCanvas;
class ProbabilityBars;

class SuspectDetails : public QWidget {
    Q_OBJECT
public:
    explicit SuspectDetails(QWidget* parent = nullptr);

    void setLabels(const LabelMap& labels) { labels_ = labels; }
    void showSuspect(int given, int suggested, int fold,
                     const std::vector<float>& probabilities, int ttaRuns, const QString& decision);
    void clear();
    // Null images: still being computed. `error`: why there are none.
    void setHeatmaps(const QImage& given, const QImage& suggested, const QString& error = {});
    // The strips; an empty list: being loaded.
    void setExamples(int label, const QVector<QImage>& thumbnails);
    bool heatmapsShown() const { return heatmapsShown_; }

    QString givenText() const;
    QString suggestedText() const;
    QString foldText() const;
    QString decisionText() const;
    ProbabilityBars* bars() const { return bars_; }

private:
    QWidget* makeStrip(QLabel** title, QVector<QLabel*>* cells);
    void fillStrip(const QVector<QLabel*>& cells, const QVector<QImage>& thumbnails, const QString& empty);

    LabelMap labels_ = LabelMap::standard();
    int given_ = -1, suggested_ = -1;
    bool heatmapsShown_ = false;
    QLabel* givenLabel_ = nullptr;
    QLabel* suggestedLabel_ = nullptr;
    QLabel* fold_ = nullptr;
    QLabel* decision_ = nullptr;
    ProbabilityBars* bars_ = nullptr;
    PhotoCanvas* givenHeat_ = nullptr;
    PhotoCanvas* suggestedHeat_ = nullptr;
    QLabel* givenHeatTitle_ = nullptr;
    QLabel* suggestedHeatTitle_ = nullptr;
    QLabel* givenStripTitle_ = nullptr;
    QLabel* suggestedStripTitle_ = nullptr;
    QVector<QLabel*> givenStrip_, suggestedStrip_;
};

}  // namespace cassava::ui
