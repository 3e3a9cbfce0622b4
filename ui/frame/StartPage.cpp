#include "StartPage.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

QToolButton* bigButton(const QString& icon, const QString& text, const QString& detail, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setIcon(QIcon(icon));
    button->setIconSize(QSize(48, 48));
    button->setText(text + QLatin1Char('\n') + detail);
    button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    button->setAutoRaise(false);
    const int em = button->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    button->setMinimumSize(em * 17, em * 7);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return button;
}

QLabel* sectionTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QListWidget* recentList(QWidget* parent)
{
    auto* list = new QListWidget(parent);
    list->setUniformItemSizes(true);
    list->setMinimumHeight(list->fontMetrics().height() * 7);
    return list;
}

void fill(QListWidget* list, const QStringList& paths, const QString& none)
{
    list->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(QFileInfo(path).fileName() + QStringLiteral("  —  ") +
                                         QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
        list->addItem(item);
    }
    if (paths.isEmpty()) {
        auto* item = new QListWidgetItem(none);
        item->setFlags(Qt::NoItemFlags);
        list->addItem(item);
    }
}

}  // namespace

StartPage::StartPage(QWidget* parent)
    : QWidget(parent), datasets_(recentList(this)), runs_(recentList(this))
{
    auto* logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/cassava-studio.svg")).pixmap(72, 72));
    auto* title = new QLabel(tr("Cassava Studio"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    title->setFont(big);
    auto* tagline = new QLabel(tr("Diagnose cassava leaves from photos, train classifiers, "
                                  "and clean noisy labels."),
                               this);
    tagline->setForegroundRole(QPalette::PlaceholderText);

    auto* header = new QGridLayout;
    header->addWidget(logo, 0, 0, 2, 1);
    header->addWidget(title, 0, 1, Qt::AlignBottom);
    header->addWidget(tagline, 1, 1, Qt::AlignTop);
    header->setColumnStretch(1, 1);
    header->setHorizontalSpacing(16);

    QToolButton* open = bigButton(QStringLiteral(":/icons/view-dataset.svg"), tr("Open a dataset…"),
                                  tr("a Kaggle-layout folder"), this);
    QToolButton* demo = bigButton(QStringLiteral(":/icons/cassava-studio.svg"), tr("Try the demo"),
                                  tr("1,000 drawn leaves"), this);
    QToolButton* diagnose = bigButton(QStringLiteral(":/icons/view-diagnose.svg"),
                                      tr("Diagnose photos…"), tr("or drop leaf photos here"), this);
    connect(open, &QToolButton::clicked, this, &StartPage::openDatasetRequested);
    connect(demo, &QToolButton::clicked, this, &StartPage::openDemoRequested);
    connect(diagnose, &QToolButton::clicked, this, &StartPage::diagnoseRequested);
    auto* actions = new QHBoxLayout;
    actions->setSpacing(14);
    actions->addWidget(open);
    actions->addWidget(demo);
    actions->addWidget(diagnose);

    auto* openRun = new QPushButton(tr("Open a run…"), this);
    connect(openRun, &QPushButton::clicked, this, &StartPage::openRunRequested);
    auto* recent = new QGridLayout;
    recent->addWidget(sectionTitle(tr("Recent datasets"), this), 0, 0);
    recent->addWidget(sectionTitle(tr("Recent training runs"), this), 0, 1);
    recent->addWidget(datasets_, 1, 0);
    recent->addWidget(runs_, 1, 1);
    recent->addWidget(openRun, 2, 1, Qt::AlignRight);
    recent->setHorizontalSpacing(14);

    auto chosen = [this](QListWidget* list, auto signal) {
        connect(list, &QListWidget::itemActivated, this, [this, signal](QListWidgetItem* item) {
            const QString path = item->data(Qt::UserRole).toString();
            if (!path.isEmpty())
                emit(this->*signal)(path);
        });
    };
    chosen(datasets_, &StartPage::recentDatasetChosen);
    chosen(runs_, &StartPage::recentRunChosen);

    auto* column = new QVBoxLayout;
    column->addLayout(header);
    column->addSpacing(22);
    column->addLayout(actions);
    column->addSpacing(22);
    column->addLayout(recent);

    auto* content = new QWidget(this);
    content->setLayout(column);
    content->setMaximumWidth(content->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 66);

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(content, 0, Qt::AlignHCenter);
    layout->addStretch(3);

    setRecentDatasets({});
    setRecentRuns({});
}

void StartPage::setRecentDatasets(const QStringList& paths)
{
    fill(datasets_, paths, tr("None yet."));
}

void StartPage::setRecentRuns(const QStringList& paths)
{
    fill(runs_, paths, tr("None yet."));
}

}  // namespace cassava::ui
