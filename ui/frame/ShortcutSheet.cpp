#include "ShortcutSheet.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

QString plain(QString text)
{
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    return text.trimmed();
}

void addMenu(QTreeWidgetItem* group, const QMenu* menu)
{
    for (const QAction* action : menu->actions()) {
        if (action->menu()) {
            addMenu(group, action->menu());
            continue;
        }
        QStringList keys;
        for (const QKeySequence& key : action->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        if (!keys.isEmpty())
            new QTreeWidgetItem(group, {plain(action->text()), keys.join(QStringLiteral(", "))});
    }
}

// Keys the views take themselves (not menu actions).
struct ViewKeys {
    const char* view;
    std::initializer_list<std::pair<const char*, const char*>> keys;
};

}  // namespace

ShortcutSheet::ShortcutSheet(const QMenuBar* menus, QWidget* parent)
    : QDialog(parent), tree_(new QTreeWidget(this))
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Action"), tr("Keys")});
    tree_->setRootIsDecorated(false);
    tree_->setSelectionMode(QAbstractItemView::NoSelection);

    for (const QAction* top : menus->actions()) {
        if (!top->menu())
            continue;
        auto* group = new QTreeWidgetItem(tree_, {plain(top->text())});
        addMenu(group, top->menu());
        if (group->childCount() == 0)
            delete group;
    }
    const ViewKeys viewKeys[] = {
        {QT_TR_NOOP("Dataset"),
         {{QT_TR_NOOP("Move through the images"), QT_TR_NOOP("Arrow keys")},
          {QT_TR_NOOP("Zoom the preview"), QT_TR_NOOP("Wheel; double-click: fit or 100 %")},
          {QT_TR_NOOP("Search by id"), QT_TR_NOOP("Ctrl+F")}}},
        {QT_TR_NOOP("Diagnose"),
         {{QT_TR_NOOP("Paste photos"), QT_TR_NOOP("Ctrl+V")},
          {QT_TR_NOOP("Select all cards"), QT_TR_NOOP("Ctrl+A")},
          {QT_TR_NOOP("Group the selected cards as one plant"), QT_TR_NOOP("Ctrl+G")},
          {QT_TR_NOOP("Ungroup the selected cards"), QT_TR_NOOP("Ctrl+Shift+G")},
          {QT_TR_NOOP("Remove the selected cards"), QT_TR_NOOP("Delete")},
          {QT_TR_NOOP("Export the cards as CSV"), QT_TR_NOOP("Ctrl+E")},
          {QT_TR_NOOP("Stop the diagnosis"), QT_TR_NOOP("Esc")}}},
        {QT_TR_NOOP("Train"),
         {{QT_TR_NOOP("Cancel the running training (within a batch)"), QT_TR_NOOP("Esc")}}},
    };
    for (const ViewKeys& view : viewKeys) {
        auto* group = new QTreeWidgetItem(tree_, {tr("In %1").arg(tr(view.view))});
        for (const auto& [what, keys] : view.keys)
            new QTreeWidgetItem(group, {tr(what), tr(keys)});
    }
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* group = tree_->topLevelItem(i);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setFirstColumnSpanned(true);
        group->setFlags(Qt::ItemIsEnabled);
    }
    tree_->expandAll();
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tree_);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 96, fontMetrics().height() * 36);
}

}  // namespace cassava::ui
