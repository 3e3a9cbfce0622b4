#pragma once
// What a farmer should know about a diagnosed class: what the disease is, how it spreads, what to
// do, with the extension material it was written from. Shown on a Diagnose card and on a plant.
//
// The built-in texts are resources/advice/<short>.md (cbb.md, cbsd.md, cgm.md, cmd.md,
// healthy.md: the label map's short name, lower case). A file of the same name in
// adviceOverrideFolder() replaces the built-in one, so an agronomist can edit or translate the
// advice without rebuilding the application.
#include "LabelMap.h"

#include <QString>

namespace cassava::ui {

// Markdown for QTextDocument::setMarkdown / QLabel with Qt::MarkdownText. A label the map does not
// know, or a class without an advice file (a dataset of other crops), gets a short text saying
// that there is no advice and where the user's own file would go.
QString adviceMarkdown(int label, const cassava::LabelMap& labels);

// <AppDataLocation>/advice, e.g. ~/.local/share/Cassava Studio/Cassava Studio/advice on Linux.
QString adviceOverrideFolder();

}  // namespace cassava::ui
