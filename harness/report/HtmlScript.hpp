#pragma once
// The JavaScript of the HTML report, kept apart from the C++ that lays out the page. Both run
// in the page with a Content-Security-Policy that allows inline scripts only (no network).
#include <string_view>

namespace deadpeer::report {

// First script in <head>: records JS errors and CSP violations as data-js-errors on <html> and
// in #js-errors, so a page whose charts broke says so (and the browser test can see it).
std::string_view html_error_hook_script();

// Last script, after Chart.js: reads the JSON in #deadpeer-data, draws one detection chart per
// fault kind and one timeline per case, then sets data-charts-expected and data-charts-drawn
// (charts whose canvas has painted pixels) on <html>.
std::string_view html_draw_script();

}  // namespace deadpeer::report
