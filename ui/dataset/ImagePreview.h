#pragma once
// A photo at any zoom: fit to the window, 100 % (one image pixel per screen pixel), the wheel
// zooms about the cursor, dragging pans, double-click toggles fit and 100 %. Shows a message
// instead when there is no photo (nothing selected, or why it cannot be shown). Painting only:
// the caller decodes (off the GUI thread) and hands over a QImage.
#include <QImage>
#include <QPixmap>
#include <QWidget>

namespace cassava::ui {

class ImagePreview : public QWidget {
    Q_OBJECT
public:
    explicit ImagePreview(QWidget* parent = nullptr);

    // Shows `image` fitted to the window. A stand-in (the thumbnail while the photo loads)
    // keeps the current zoom mode when the real photo replaces it.
    void setImage(const QImage& image, bool standIn = false);
    void setMessage(const QString& message, bool isError = false);
    bool hasImage() const { return !pixmap_.isNull(); }
    bool showsStandIn() const { return standIn_; }
    QSize imageSize() const { return imageSize_; }
    QString message() const { return message_; }

    bool isFitted() const { return fit_; }
    double zoom() const { return zoom_; }  // screen pixels (device-independent) per image pixel
    QPointF imageOffset() const { return offset_; }  // where the image's top-left corner is drawn

    QSize sizeHint() const override { return {520, 400}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

public slots:
    void fitToWindow();
    void showActualSize();
    void zoomIn();
    void zoomOut();
    // Zooms by `factor` keeping the image point under `anchor` (widget coordinates) in place.
    void zoomBy(double factor, const QPointF& anchor);

signals:
    void zoomChanged(double zoom, bool fitted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void applyFit();
    void setZoom(double zoom, const QPointF& anchor);
    void clampOffset();
    QSizeF scaledSize() const;
    double actualSizeZoom() const;

    QPixmap pixmap_;
    QSize imageSize_;   // in image pixels
    bool standIn_ = false;
    QString message_;
    bool messageIsError_ = false;
    bool fit_ = true;
    double zoom_ = 1.0;
    QPointF offset_;    // image top-left in widget coordinates
    QPointF dragStart_;
    QPointF offsetAtDragStart_;
    bool dragging_ = false;
};

}  // namespace cassava::ui
