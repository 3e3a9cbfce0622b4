#pragma once
// What the application says about itself: version and the About text.
#include <QString>

namespace cassava::ui {

QString applicationVersion();
// The app's own data folder, $XDG_DATA_HOME/cassava-studio (~/.local/share/cassava-studio), the
// same name as the package and the cache folder; `sub` appended ("runs", "demo", "advice").
QString appDataFolder(const QString& sub = {});
QString aboutText();  // rich text for Help > About

}  // namespace cassava::ui

namespace cassava::ui {
// Registers resources/resources.qrc; cassava_ui is a static library, so the linker would
// otherwise drop its resources. Safe to call more than once.
void initResources();
}  // namespace cassava::ui
