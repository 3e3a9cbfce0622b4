#pragma once
// A run's settings at a glance, as the rows of a small HTML table: model and size, weights, split,
// schedule, learning rate, augmentation, labels, dates. What a researcher compares between runs.
#include "RunResults.h"

#include <QString>

namespace cassava::ui {

QString runSettingsHtml(const RunResults& results);

}  // namespace cassava::ui
