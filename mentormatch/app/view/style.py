"""The workbench page's stylesheet (:data:`CSS`) and the CSS classes a person or a test
acts on (:data:`CLASSES`), by which browser tests find the widgets."""

from __future__ import annotations

__all__ = ["CSS", "CLASSES"]

#: The page's stylesheet: every rule inside ``.mm-app``, so that in JupyterLab the page
#: restyles nothing else (the report's tables share the class ``mm-table``).
CSS = """
.mm-app { max-width: 1200px; margin: 0 auto; color: #1f2937;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", sans-serif; font-size: 14px; }
.mm-app .widget-html-content { line-height: 1.55; }
.mm-app .widget-label,
.mm-app .widget-radio-box label,
.mm-app .widget-checkbox label,
.mm-app select,
.mm-app button { font-family: inherit; font-size: 13px; }
.mm-app .widget-radio-box label { line-height: 1.7; }
.mm-app .mm-title h1 { font-size: 22px; margin: 4px 0 0 0; }
.mm-app .mm-title p { margin: 0; color: #4b5563; }
.mm-app .mm-section { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 16px 14px;
  margin: 10px 0; background: #ffffff; }
.mm-app .mm-head h2 { font-size: 17px; margin: 2px 0 4px; color: #111827; }
.mm-app .mm-head h3 { font-size: 14px; margin: 8px 0 2px; color: #374151; }
.mm-app .mm-help { color: #4b5563; font-size: 13px; }
.mm-app table.mm-table { border-collapse: collapse; width: 100%; font-size: 13px;
  margin: 4px 0 8px; }
.mm-app table.mm-table th,
.mm-app table.mm-table td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px;
  text-align: left; vertical-align: top; }
.mm-app table.mm-table th { background: #f3f4f6; white-space: nowrap; font-weight: 600; }
.mm-app table.mm-table .num { text-align: right; white-space: nowrap; }
.mm-app .mm-cards { display: flex; gap: 10px; flex-wrap: wrap; margin: 4px 0; }
.mm-app .mm-card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 6px 16px;
  min-width: 120px; }
.mm-app .mm-card .k { color: #4b5563; font-size: 13px; }
.mm-app .mm-card .v { font-size: 22px; font-weight: 600; }
.mm-app .mm-card.bad .v { color: #b91c1c; }
.mm-app .mm-card.good .v { color: #047857; }
.mm-app .mm-box-bad { border-left: 4px solid #b91c1c; background: #fef2f2; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-warn { border-left: 4px solid #d97706; background: #fffbeb; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-ok { border-left: 4px solid #047857; background: #ecfdf5; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-bad ul,
.mm-app .mm-box-warn ul { margin: 2px 0; padding-left: 20px; }
.mm-app .mm-mentor-head { font-weight: 600; margin-top: 8px; color: #1e3a8a; }
.mm-app .mm-spinner { display: inline-block; width: 14px; height: 14px; border: 2px solid #bfdbfe;
  border-top-color: #1d4ed8; border-radius: 50%; animation: mm-spin 0.8s linear infinite;
  vertical-align: -2px; margin-right: 8px; }
@keyframes mm-spin { to { transform: rotate(360deg); } }
.mm-app .mm-busy-text { color: #1d4ed8; }
.mm-app a.mm-link { display: inline-block; padding: 4px 12px; border-radius: 4px;
  background: #1d4ed8; color: #ffffff !important; text-decoration: none; margin: 2px 0; }
.mm-app .mm-upload { font-size: 0 !important; }
.mm-app .mm-upload i { font-size: 13px; margin-right: 6px; }
.mm-app .mm-upload::after { font-size: 13px; content: var(--mm-upload-label); }
.mm-app .mm-chart img { max-width: 100%; height: auto; }
.mm-app .mm-row { gap: 4px 10px; align-items: center; }
.mm-app table.mm-table td { white-space: nowrap; }
.mm-app table.mm-table td.mm-wrap,
.mm-app .mm-plan table.mm-table td:nth-child(8),
.mm-app .mm-unplaced table.mm-table td:nth-child(5),
.mm-app .mm-problems table.mm-table td:nth-child(n+4) {
  white-space: normal; min-width: 12em; }
.mm-app .mm-plan table.mm-table td:nth-child(8) { width: 100%; }
.mm-app .mm-plan table.mm-table th:nth-child(-n+5) { width: 7em; }
.mm-app .mm-plan table.mm-table th:nth-child(5) { width: 11em; }
.mm-app .mm-plan table.mm-table th:nth-child(6),
.mm-app .mm-plan table.mm-table th:nth-child(7) { width: 5em; }
.mm-app .mm-places table.mm-table,
.mm-app .mm-cost table.mm-table { width: auto; min-width: 480px; }
.mm-app .mm-places .widget-html-content { max-height: 340px; overflow-y: auto; }
.mm-app .mm-places th { position: sticky; top: 0; }
"""


#: The CSS classes of the widgets a person or a test acts on.
CLASSES = (
    "mm-app",
    "mm-title",
    "mm-lang",
    "mm-step-load",
    "mm-step-glance",
    "mm-step-rules",
    "mm-step-solve",
    "mm-step-adjust",
    "mm-step-download",
    "mm-busy",
    "mm-busy-solve",
    "mm-busy-download",
    "mm-progress-download",
    "mm-weight-challenge",
    "mm-weight-type",
    "mm-weight-proximity",
    "mm-weight-continuity",
    "mm-stale",
    "mm-upload",
    "mm-sample",
    "mm-status",
    "mm-problems",
    "mm-warnings",
    "mm-glance",
    "mm-objective",
    "mm-distance",
    "mm-cap-mentor",
    "mm-cap-value",
    "mm-cap-apply",
    "mm-places",
    "mm-rule-mentee",
    "mm-rule-mentor",
    "mm-rule-kind",
    "mm-rule-add",
    "mm-rules",
    "mm-rule-remove",
    "mm-partial",
    "mm-solve",
    "mm-headline",
    "mm-error",
    "mm-plan-mentor",
    "mm-plan",
    "mm-unplaced",
    "mm-chart-scores",
    "mm-chart-random",
    "mm-adjust-mentee",
    "mm-adjust-mentor",
    "mm-lock",
    "mm-move",
    "mm-unlock",
    "mm-resolve",
    "mm-undo",
    "mm-locks",
    "mm-cost",
    "mm-broken",
    "mm-download-plan",
    "mm-link-plan",
    "mm-n-groups",
    "mm-download-groups",
    "mm-link-groups",
    "mm-download-report",
    "mm-link-report",
)
