#include "ImagePreview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

namespace {

constexpr double minZoom = 0.02;
constexpr double maxZoom = 32.0;
constexpr double stepFactor = 1.25;

}  // namespace

ImagePreview::ImagePreview(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::ClickFocus);
    setMouseTracking(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImagePreview::setImage(const QImage& image, bool standIn)
{
    const bool keepZoom = standIn_ && !standIn && !fit_;
    pixmap_ = QPixmap::fromImage(image);
    imageSize_ = image.size();
    standIn_ = standIn;
    message_.clear();
    if (!keepZoom)
        fit_ = true;
    if (fit_)
        applyFit();
    else
        clampOffset();
    update();
    emit zoomChanged(zoom_, fit_);
}

void ImagePreview::setMessage(const QString& message, bool isError)
{
    pixmap_ = {};
    imageSize_ = {};
    standIn_ = false;
    message_ = message;
    messageIsError_ = isError;
    update();
}

void ImagePreview::fitToWindow()
{
    fit_ = true;
    applyFit();
    update();
    emit zoomChanged(zoom_, fit_);
}

void ImagePreview::showActualSize() { setZoom(actualSizeZoom(), QRectF(rect()).center()); }

void ImagePreview::zoomIn() { zoomBy(stepFactor, QRectF(rect()).center()); }

void ImagePreview::zoomOut() { zoomBy(1.0 / stepFactor, QRectF(rect()).center()); }

void ImagePreview::zoomBy(double factor, const QPointF& anchor) { setZoom(zoom_ * factor, anchor); }

double ImagePreview::actualSizeZoom() const { return 1.0 / devicePixelRatioF(); }

QSizeF ImagePreview::scaledSize() const { return QSizeF(imageSize_) * zoom_; }

void ImagePreview::applyFit()
{
    if (imageSize_.isEmpty())
        return;
    zoom_ = std::min(width() / static_cast<double>(imageSize_.width()),
                     height() / static_cast<double>(imageSize_.height()));
    zoom_ = std::clamp(zoom_, minZoom, maxZoom);
    clampOffset();
}

void ImagePreview::setZoom(double zoom, const QPointF& anchor)
{
    if (imageSize_.isEmpty())
        return;
    zoom = std::clamp(zoom, minZoom, maxZoom);
    const QPointF imagePoint = (anchor - offset_) / zoom_;
    zoom_ = zoom;
    fit_ = false;
    offset_ = anchor - imagePoint * zoom_;
    clampOffset();
    update();
    emit zoomChanged(zoom_, fit_);
}

// A smaller image is centred; a larger one may be panned until its edge meets the window's.
void ImagePreview::clampOffset()
{
    const QSizeF s = scaledSize();
    auto clampAxis = [](double offset, double scaled, double window) {
        if (scaled <= window)
            return (window - scaled) / 2;
        return std::clamp(offset, window - scaled, 0.0);
    };
    offset_.setX(clampAxis(offset_.x(), s.width(), width()));
    offset_.setY(clampAxis(offset_.y(), s.height(), height()));
}

void ImagePreview::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QColor backdrop = palette().color(QPalette::Window).darker(112);
    painter.fillRect(rect(), backdrop);
    if (pixmap_.isNull()) {
        if (!message_.isEmpty()) {
            QColor color = messageIsError_ ? QColor(0xc0, 0x39, 0x2b) : palette().color(QPalette::WindowText);
            if (!messageIsError_)
                color.setAlphaF(0.6f);
            painter.setPen(color);
            painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, message_);
        }
        return;
    }
    // Smooth when shrinking or slightly enlarging; from 2x on, sharp pixels are what a curator
    // zooms in to see.
    const double devicePixelsPerImagePixel = zoom_ * devicePixelRatioF();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, devicePixelsPerImagePixel < 2.0);
    painter.drawPixmap(QRectF(offset_, scaledSize()), pixmap_, QRectF(pixmap_.rect()));
}

void ImagePreview::resizeEvent(QResizeEvent*)
{
    if (fit_) {
        applyFit();
        emit zoomChanged(zoom_, fit_);  // the zoom that fits changes with the window
    } else {
        clampOffset();
    }
}

void ImagePreview::wheelEvent(QWheelEvent* event)
{
    if (imageSize_.isEmpty())
        return;
    // 120 units per notch: one notch is a 1.25x step, touchpads give fractions of it.
    const double notches = event->angleDelta().y() / 120.0;
    zoomBy(std::pow(stepFactor, notches), event->position());
    event->accept();
}

void ImagePreview::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && hasImage()) {
        dragging_ = true;
        dragStart_ = event->position();
        offsetAtDragStart_ = offset_;
        setCursor(Qt::ClosedHandCursor);
    }
    QWidget::mousePressEvent(event);
}

void ImagePreview::mouseMoveEvent(QMouseEvent* event)
{
    if (!dragging_)
        return;
    offset_ = offsetAtDragStart_ + (event->position() - dragStart_);
    clampOffset();
    update();
}

void ImagePreview::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && dragging_) {
        dragging_ = false;
        unsetCursor();
    }
}

void ImagePreview::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (!hasImage())
        return;
    if (fit_)
        setZoom(actualSizeZoom(), event->position());
    else
        fitToWindow();
}

}  // namespace cassava::ui
