#include "DatasetPreview.h"

#include "ClassColors.h"
#include "DatasetBrowserModel.h"
#include "ImagePreview.h"

#include "ImageConversion.h"
#include "ImageIo.h"

#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace cassava::ui {

struct DatasetPreview::Decoded {
    QImage image;
    QString error;
    QString format;
    QSize size;          // as displayed, after EXIF orientation
    int orientation = 1;
    qint64 bytes = 0;
};

namespace {

QString upperFormat(const QString& format) { return format == QLatin1String("jpeg") ? QStringLiteral("JPEG") : format.toUpper(); }

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);  // arrow keys stay with the grid
    return b;
}

}  // namespace

DatasetPreview::DatasetPreview(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(this)),
      label_(new QLabel(this)),
      info_(new QLabel(this)),
      prediction_(new QLabel(this)),
      decision_(new QLabel(this)),
      zoomLabel_(new QLabel(this)),
      image_(new ImagePreview(this))
{
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title_->setFont(titleFont);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QLabel* l : {label_, info_, prediction_, decision_})
        l->setTextFormat(Qt::RichText);
    decision_->hide();
    info_->setWordWrap(true);
    prediction_->hide();

    fit_ = toolButton(tr("Fit"), tr("Fit the photo to the panel (double-click toggles)"), this);
    actual_ = toolButton(tr("100 %"), tr("One photo pixel per screen pixel"), this);
    auto* out = toolButton(QStringLiteral("−"), tr("Zoom out (wheel)"), this);
    auto* in = toolButton(QStringLiteral("+"), tr("Zoom in (wheel)"), this);
    fit_->setCheckable(true);
    connect(fit_, &QToolButton::clicked, image_, &ImagePreview::fitToWindow);
    connect(actual_, &QToolButton::clicked, image_, &ImagePreview::showActualSize);
    connect(out, &QToolButton::clicked, image_, &ImagePreview::zoomOut);
    connect(in, &QToolButton::clicked, image_, &ImagePreview::zoomIn);
    connect(image_, &ImagePreview::zoomChanged, this, &DatasetPreview::updateZoomLabel);
    zoomLabel_->setMinimumWidth(zoomLabel_->fontMetrics().horizontalAdvance(QStringLiteral("3200 %")));
    zoomLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    tools->setSpacing(2);
    tools->addWidget(title_, 1);
    tools->addWidget(fit_);
    tools->addWidget(actual_);
    tools->addWidget(out);
    tools->addWidget(in);
    tools->addWidget(zoomLabel_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(tools);
    layout->addWidget(label_);
    layout->addWidget(info_);
    layout->addWidget(prediction_);
    layout->addWidget(decision_);
    layout->addWidget(image_, 1);
    clear();
}

void DatasetPreview::clear()
{
    row_ = -1;
    wantedRow_ = -1;
    title_->setText(tr("No photo selected"));
    label_->clear();
    info_->setText(tr("Select a thumbnail; the arrow keys move through the grid."));
    prediction_->hide();
    image_->setMessage({});
    updateZoomLabel(0, true);
}

void DatasetPreview::showRow(int row, const QPixmap& standIn)
{
    if (!model_ || row < 0 || row >= model_->rowCount()) {
        clear();
        return;
    }
    row_ = row;
    const LabelMap& labels = model_->labels();
    const int label = model_->label(row);
    title_->setText(model_->imageId(row).toString());
    const QString name = labels.contains(label) ? QString::fromStdString(labels.name(label)) : QString::number(label);
    const QString shortName = labels.contains(label) ? QString::fromStdString(labels.shortName(label)) : QString::number(label);
    label_->setText(QStringLiteral("<span style='color:%1'>&#9632;</span> <b>%2</b> &middot; %3 &middot; label %4")
                        .arg(classColor(label).name(), shortName.toHtmlEscaped(), name.toHtmlEscaped())
                        .arg(label));
    refreshPrediction();

    const auto state = model_->state(row);
    if (state == DatasetBrowserModel::ImageState::Missing) {
        info_->setText(tr("<span style='color:#c0392b'>Missing:</span> %1").arg(model_->error(row).toHtmlEscaped()));
        image_->setMessage(tr("This photo is listed in train.csv but its file does not exist."), true);
        wantedRow_ = -1;
        return;
    }
    info_->setText(tr("Loading…"));
    if (!standIn.isNull())
        image_->setImage(standIn.toImage(), true);
    else
        image_->setMessage(tr("Loading…"));
    startDecode(row);
}

void DatasetPreview::refreshPrediction()
{
    if (!model_ || row_ < 0 || model_->predicted(row_) < 0) {
        prediction_->setVisible(model_ && model_->hasPredictions() && row_ >= 0);
        prediction_->setText(tr("The run has no prediction for this photo."));
        return;
    }
    const LabelMap& labels = model_->labels();
    const int p = model_->predicted(row_);
    const QString shortName = labels.contains(p) ? QString::fromStdString(labels.shortName(p)) : QString::number(p);
    const bool agrees = p == model_->label(row_);
    prediction_->setText(tr("Run predicts <span style='color:%1'>&#9632;</span> <b>%2</b> at %3 % &middot; loss %4%5")
                             .arg(classColor(p).name(), shortName.toHtmlEscaped())
                             .arg(100.0 * model_->confidence(row_), 0, 'f', 0)
                             .arg(static_cast<double>(model_->loss(row_)), 0, 'f', 2)
                             .arg(agrees ? QString() : tr(" &middot; <b>disagrees with the label</b>")));
    prediction_->show();
}

void DatasetPreview::startDecode(int row)
{
    wantedRow_ = row;
    if (loadingRow_ >= 0)
        return;  // finishDecode() starts the wanted one
    loadingRow_ = row;
    const QString path = model_->path(row);
    const QString name = model_->displayName(row);
    auto* watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcher<Decoded>::finished, this, [this, watcher, row] {
        watcher->deleteLater();
        finishDecode(row, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path, name] {
        Decoded d;
        const DecodedImage decoded = ImageIo::decode(QFile::encodeName(path).toStdString(), {}, name.toStdString());
        d.bytes = QFileInfo(path).size();
        d.format = QString::fromStdString(decoded.info.format);
        d.orientation = decoded.info.orientation;
        d.size = QSize(decoded.info.displayWidth(), decoded.info.displayHeight());
        if (!decoded.ok()) {
            d.error = QString::fromStdString(decoded.error);
            return d;
        }
        d.image = imageFromRgb(decoded.rgb);
        return d;
    }));
}

void DatasetPreview::finishDecode(int row, const Decoded& decoded)
{
    loadingRow_ = -1;
    if (wantedRow_ != row) {
        if (wantedRow_ >= 0)
            startDecode(wantedRow_);
        return;  // the user moved on
    }
    wantedRow_ = -1;
    if (row != row_ || !model_ || row >= model_->rowCount())
        return;
    if (!decoded.error.isEmpty()) {
        info_->setText(tr("<span style='color:#c0392b'>Unreadable:</span> %1").arg(decoded.error.toHtmlEscaped()));
        image_->setMessage(decoded.error, true);
        emit photoUnreadable(row, decoded.error);
        return;
    }
    QString info = tr("%1 × %2 px &middot; %3 &middot; %4")
                       .arg(decoded.size.width())
                       .arg(decoded.size.height())
                       .arg(upperFormat(decoded.format))
                       .arg(QLocale().formattedDataSize(decoded.bytes, 0));
    if (decoded.orientation != 1)
        info += tr(" &middot; EXIF orientation %1 applied").arg(decoded.orientation);
    info_->setText(info);
    image_->setImage(decoded.image);
    emit photoLoaded(row);
}

void DatasetPreview::updateZoomLabel(double zoom, bool fitted)
{
    if (!image_->hasImage()) {
        zoomLabel_->clear();
        return;
    }
    const double percent = zoom * devicePixelRatioF() * 100.0;
    zoomLabel_->setText(QStringLiteral("%1 %").arg(std::lround(percent)));
    fit_->setChecked(fitted);
}

QString DatasetPreview::titleText() const { return title_->text(); }
QString DatasetPreview::labelText() const { return label_->text(); }

void DatasetPreview::setDecisionText(const QString& text)
{
    decision_->setText(text);
    decision_->setVisible(!text.isEmpty());
}

QString DatasetPreview::decisionText() const { return decision_->isVisible() ? decision_->text() : QString(); }
QString DatasetPreview::infoText() const { return info_->text(); }
QString DatasetPreview::predictionText() const { return prediction_->isHidden() ? QString() : prediction_->text(); }

}  // namespace cassava::ui
