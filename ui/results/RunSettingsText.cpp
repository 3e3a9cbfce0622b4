#include "RunSettingsText.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QObject>

#include <cmath>

namespace cassava::ui {

namespace {

QString tr(const char* text) { return QObject::tr(text); }

QString pct(double share, int decimals = 1) { return QLocale().toString(100.0 * share, 'f', decimals) + " %"; }

QString number(double value)
{
    return QLocale().toString(value, 'g', 4);
}

QString duration(double seconds)
{
    const auto s = static_cast<qint64>(std::lround(seconds));
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString weightsText(const TrainConfig& c)
{
    if (c.weights.empty())
        return tr("fresh (from scratch)");
    const QString file = QFileInfo(QString::fromStdString(c.weights)).fileName();
    return c.weights.size() > 5 && c.weights.rfind(".ckpt") == c.weights.size() - 5
               ? tr("checkpoint %1").arg(file)
               : tr("imported %1").arg(file);
}

QString augmentText(const TrainConfig& c)
{
    const AugmentOptions& a = c.augment;
    QStringList parts;
    switch (a.crop) {
    case AugmentOptions::Crop::Random: parts << tr("random crop %1").arg(pct(a.cropFraction, 0)); break;
    case AugmentOptions::Crop::Resized:
        if (a.minArea < 1.0)
            parts << tr("resized crop %1–%2 of the area").arg(pct(a.minArea, 0), pct(a.maxArea, 0));
        break;
    case AugmentOptions::Crop::Full: break;
    }
    if (a.flipHorizontal || a.flipVertical)
        parts << (a.flipHorizontal && a.flipVertical ? tr("flips") : tr("one flip"));
    if (a.rotationTurns > 0)
        parts << tr("rotation ±%1°").arg(std::lround(a.rotationTurns * 360));
    if (a.zoomMin < 0 || a.zoomMax > 0)
        parts << tr("zoom %1…%2").arg(number(a.zoomMin), number(a.zoomMax));
    if (a.contrast > 0)
        parts << tr("contrast %1").arg(number(a.contrast));
    return parts.isEmpty() ? tr("off") : parts.join(QStringLiteral(", "));
}

// The run's settings as the rows of a small table: what a researcher compares between runs.
}  // namespace

QString runSettingsHtml(const RunResults& r)
{
    const TrainConfig& c = r.config;
    const QLocale locale;
    QList<QPair<QString, QString>> rows;
    rows << qMakePair(tr("Model"), tr("EfficientNet-%1 at %2 px")
                                                    .arg(QString::fromStdString(c.model).toUpper())
                                                    .arg(c.size));
    rows << qMakePair(tr("Weights"), weightsText(c));
    rows << qMakePair(tr("Split"), c.kFold() ? tr("%1 folds (stratified)").arg(c.folds)
                                                          : tr("hold-out %1").arg(pct(c.valSplit, 0)));
    rows << qMakePair(tr("Schedule"),
                      (c.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(c.epochs)) +
                          tr(", batch %1").arg(c.batch));
    rows << qMakePair(tr("Learning rate"),
                      tr("%1 (%2), cosine floor %3, warm-up %4")
                          .arg(number(c.lr), QString::fromStdString(c.optimizer), number(c.alpha),
                               number(c.warmupEpochs)));
    rows << qMakePair(tr("Augmentation"), augmentText(c));
    QStringList labels;
    if (c.labelSmoothing > 0)
        labels << tr("smoothing %1").arg(number(c.labelSmoothing));
    if (c.balanceClasses)
        labels << tr("class weights");
    if (r.relabeled > 0)
        labels << tr("%L1 relabeled").arg(r.relabeled);
    if (r.excluded > 0)
        labels << tr("%L1 excluded").arg(r.excluded);
    rows << qMakePair(tr("Labels"), labels.isEmpty() ? tr("as given") : labels.join(", "));
    rows << qMakePair(tr("Best by"), QString::fromStdString(c.selectBy) + tr(", seed %1").arg(c.seed));
    rows << qMakePair(tr("Data"), QDir::toNativeSeparators(QString::fromStdString(c.data)));
    if (r.started.isValid())
        rows << qMakePair(tr("Started"), locale.toString(r.started, QLocale::ShortFormat));
    if (r.finished.isValid())
        rows << qMakePair(tr("Finished"),
                          locale.toString(r.finished, QLocale::ShortFormat) +
                              (r.seconds > 0 ? tr(" (%1)").arg(duration(r.seconds)) : QString()));
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=2>");
    for (const auto& [key, value] : rows)
        html += QStringLiteral("<tr><td style='padding-right:12px; opacity:0.7'>%1</td><td>%2</td></tr>")
                    .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

}  // namespace cassava::ui
