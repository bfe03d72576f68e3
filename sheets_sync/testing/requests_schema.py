"""Which fields the local server accepts in each Sheets v4 request body.

A hand-kept subset of Google's published schema (sheets.v4 discovery
document); ``tests/test_recordings_fidelity.py`` checks that every field named
here exists there with the same type, so the server never accepts what Google
would refuse.  Fields Google has but this server does not model are left out
on purpose: a body that uses them gets the same 400 an unknown field gets,
which is louder than silently ignoring them.

Type specs: ``string``, ``int32``, ``double``, ``float``, ``bool``,
``fieldmask``, ``enum:<Enum>``, ``msg:<Message>``, ``list:<spec>``,
``map:<spec>`` and ``listvalue`` (ValueRange.values: rows of scalars).
"""

from __future__ import annotations

__all__ = ["ENUMS", "ENUM_PROTO_NAMES", "GOOGLE_ONLY_REQUEST_KINDS", "MESSAGES", "REQUEST_KINDS"]

_COLOR = "msg:Color"
_COLOR_STYLE = "msg:ColorStyle"
_RANGE = "msg:GridRange"

# The batchUpdate request kinds this server carries out (Request is a oneof).
REQUEST_KINDS: dict[str, str] = {
    "addSheet": "AddSheetRequest",
    "deleteSheet": "DeleteSheetRequest",
    "updateSheetProperties": "UpdateSheetPropertiesRequest",
    "updateSpreadsheetProperties": "UpdateSpreadsheetPropertiesRequest",
    "updateCells": "UpdateCellsRequest",
    "repeatCell": "RepeatCellRequest",
    "setDataValidation": "SetDataValidationRequest",
    "addProtectedRange": "AddProtectedRangeRequest",
    "deleteProtectedRange": "DeleteProtectedRangeRequest",
    "updateDimensionProperties": "UpdateDimensionPropertiesRequest",
    "appendDimension": "AppendDimensionRequest",
    "insertDimension": "InsertDimensionRequest",
    "deleteDimension": "DeleteDimensionRequest",
    "mergeCells": "MergeCellsRequest",
    "unmergeCells": "UnmergeCellsRequest",
    "setBasicFilter": "SetBasicFilterRequest",
    "clearBasicFilter": "ClearBasicFilterRequest",
    "addNamedRange": "AddNamedRangeRequest",
    "deleteNamedRange": "DeleteNamedRangeRequest",
    "updateNamedRange": "UpdateNamedRangeRequest",
    "autoResizeDimensions": "AutoResizeDimensionsRequest",
}

# Kinds Google knows that this server does not carry out: answered 501, not 400,
# so a test failure says "not implemented here" rather than "Google refuses".
GOOGLE_ONLY_REQUEST_KINDS: frozenset[str] = frozenset(
    """addBanding addChart addCommentReply addConditionalFormatRule addDataSource
    addDimensionGroup addFilterView addSlicer addTable appendCells autoFill
    cancelDataSourceRefresh copyPaste createDeveloperMetadata cutPaste deleteBanding
    deleteComment deleteCommentReply deleteConditionalFormatRule deleteDataSource
    deleteDeveloperMetadata deleteDimensionGroup deleteDuplicates deleteEmbeddedObject
    deleteFilterView deleteRange deleteTable duplicateFilterView duplicateSheet
    findReplace insertComment insertRange moveDimension pasteData randomizeRange
    refreshDataSource sortRange textToColumns trimWhitespace updateBanding
    updateBorders updateChartSpec updateCommentPost updateConditionalFormatRule
    updateDataSource updateDeveloperMetadata updateDimensionGroup
    updateEmbeddedObjectBorder updateEmbeddedObjectPosition updateFilterView
    updateProtectedRange updateSlicerSpec updateTable""".split()
)

ENUMS: dict[str, tuple[str, ...]] = {
    "Dimension": ("DIMENSION_UNSPECIFIED", "ROWS", "COLUMNS"),
    "ValueInputOption": ("INPUT_VALUE_OPTION_UNSPECIFIED", "RAW", "USER_ENTERED"),
    "ValueRenderOption": ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"),
    "DateTimeRenderOption": ("SERIAL_NUMBER", "FORMATTED_STRING"),
    "SheetType": ("SHEET_TYPE_UNSPECIFIED", "GRID", "OBJECT", "DATA_SOURCE"),
    "ThemeColorType": (
        "THEME_COLOR_TYPE_UNSPECIFIED", "TEXT", "BACKGROUND", "ACCENT1", "ACCENT2",
        "ACCENT3", "ACCENT4", "ACCENT5", "ACCENT6", "LINK",
    ),
    "RecalculationInterval": ("RECALCULATION_INTERVAL_UNSPECIFIED", "ON_CHANGE", "MINUTE", "HOUR"),
    "ErrorType": (
        "ERROR_TYPE_UNSPECIFIED", "ERROR", "NULL_VALUE", "DIVIDE_BY_ZERO", "VALUE",
        "REF", "NAME", "NUM", "N_A", "LOADING",
    ),
    "HorizontalAlign": ("HORIZONTAL_ALIGN_UNSPECIFIED", "LEFT", "CENTER", "RIGHT"),
    "VerticalAlign": ("VERTICAL_ALIGN_UNSPECIFIED", "TOP", "MIDDLE", "BOTTOM"),
    "WrapStrategy": ("WRAP_STRATEGY_UNSPECIFIED", "OVERFLOW_CELL", "LEGACY_WRAP", "CLIP", "WRAP"),
    "TextDirection": ("TEXT_DIRECTION_UNSPECIFIED", "LEFT_TO_RIGHT", "RIGHT_TO_LEFT"),
    "HyperlinkDisplayType": ("HYPERLINK_DISPLAY_TYPE_UNSPECIFIED", "LINKED", "PLAIN_TEXT"),
    "NumberFormatType": (
        "NUMBER_FORMAT_TYPE_UNSPECIFIED", "TEXT", "NUMBER", "PERCENT", "CURRENCY",
        "DATE", "TIME", "DATE_TIME", "SCIENTIFIC",
    ),
    "BorderStyle": (
        "STYLE_UNSPECIFIED", "DOTTED", "DASHED", "SOLID", "SOLID_MEDIUM",
        "SOLID_THICK", "NONE", "DOUBLE",
    ),
    "ConditionType": (
        "CONDITION_TYPE_UNSPECIFIED", "NUMBER_GREATER", "NUMBER_GREATER_THAN_EQ",
        "NUMBER_LESS", "NUMBER_LESS_THAN_EQ", "NUMBER_EQ", "NUMBER_NOT_EQ",
        "NUMBER_BETWEEN", "NUMBER_NOT_BETWEEN", "TEXT_CONTAINS", "TEXT_NOT_CONTAINS",
        "TEXT_STARTS_WITH", "TEXT_ENDS_WITH", "TEXT_EQ", "TEXT_IS_EMAIL", "TEXT_IS_URL",
        "DATE_EQ", "DATE_BEFORE", "DATE_AFTER", "DATE_ON_OR_BEFORE", "DATE_ON_OR_AFTER",
        "DATE_BETWEEN", "DATE_NOT_BETWEEN", "DATE_IS_VALID", "ONE_OF_RANGE",
        "ONE_OF_LIST", "BLANK", "NOT_BLANK", "CUSTOM_FORMULA", "BOOLEAN",
        "TEXT_NOT_EQ", "DATE_NOT_EQ", "FILTER_EXPRESSION",
    ),
    "RelativeDate": (
        "RELATIVE_DATE_UNSPECIFIED", "PAST_YEAR", "PAST_MONTH", "PAST_WEEK",
        "YESTERDAY", "TODAY", "TOMORROW",
    ),
    "MergeType": ("MERGE_ALL", "MERGE_COLUMNS", "MERGE_ROWS"),
    "SortOrder": ("SORT_ORDER_UNSPECIFIED", "ASCENDING", "DESCENDING"),
    "CommentsViewMode": (
        "COMMENTS_VIEW_MODE_UNSPECIFIED", "COMMENTS_VIEW_MODE_DEFAULT_FOR_CURRENT_ACCESS",
        "COMMENTS_VIEW_MODE_OMITTED", "COMMENTS_VIEW_MODE_INCLUDED",
    ),
}

# How Google names each enum type in "Invalid value at ..." messages.
ENUM_PROTO_NAMES: dict[str, str] = {
    "ErrorType": "google.apps.sheets.v4.ErrorValue.ErrorType",
    "BorderStyle": "google.apps.sheets.v4.Border.Style",
    "HorizontalAlign": "google.apps.sheets.v4.HorizontalAlign",
}

MESSAGES: dict[str, dict[str, str]] = {
    # --- top-level bodies ---------------------------------------------------
    "BatchUpdateSpreadsheetRequest": {
        "requests": "list:msg:Request",
        "includeSpreadsheetInResponse": "bool",
        "responseRanges": "list:string",
        "responseIncludeGridData": "bool",
    },
    "Request": {kind: f"msg:{message}" for kind, message in REQUEST_KINDS.items()},
    "ValueRange": {"range": "string", "majorDimension": "enum:Dimension", "values": "listvalue"},
    "BatchUpdateValuesRequest": {
        "valueInputOption": "enum:ValueInputOption",
        "data": "list:msg:ValueRange",
        "includeValuesInResponse": "bool",
        "responseValueRenderOption": "enum:ValueRenderOption",
        "responseDateTimeRenderOption": "enum:DateTimeRenderOption",
    },
    "BatchClearValuesRequest": {"ranges": "list:string"},
    "ClearValuesRequest": {},
    "Spreadsheet": {
        "spreadsheetId": "string",
        "properties": "msg:SpreadsheetProperties",
        "sheets": "list:msg:Sheet",
        "namedRanges": "list:msg:NamedRange",
        "spreadsheetUrl": "string",
    },
    "Sheet": {
        "properties": "msg:SheetProperties",
        "data": "list:msg:GridData",
        "merges": f"list:{_RANGE}",
        "protectedRanges": "list:msg:ProtectedRange",
        "basicFilter": "msg:BasicFilter",
    },
    "GridData": {
        "startRow": "int32",
        "startColumn": "int32",
        "rowData": "list:msg:RowData",
        "rowMetadata": "list:msg:DimensionProperties",
        "columnMetadata": "list:msg:DimensionProperties",
    },
    # --- request kinds --------------------------------------------------------
    "AddSheetRequest": {"properties": "msg:SheetProperties"},
    "DeleteSheetRequest": {"sheetId": "int32"},
    "UpdateSheetPropertiesRequest": {"properties": "msg:SheetProperties", "fields": "fieldmask"},
    "UpdateSpreadsheetPropertiesRequest": {"properties": "msg:SpreadsheetProperties", "fields": "fieldmask"},
    "UpdateCellsRequest": {
        "rows": "list:msg:RowData",
        "fields": "fieldmask",
        "range": _RANGE,
        "start": "msg:GridCoordinate",
    },
    "RepeatCellRequest": {"range": _RANGE, "cell": "msg:CellData", "fields": "fieldmask"},
    "SetDataValidationRequest": {"range": _RANGE, "rule": "msg:DataValidationRule", "filteredRowsIncluded": "bool"},
    "AddProtectedRangeRequest": {"protectedRange": "msg:ProtectedRange"},
    "DeleteProtectedRangeRequest": {"protectedRangeId": "int32"},
    "UpdateDimensionPropertiesRequest": {
        "range": "msg:DimensionRange",
        "properties": "msg:DimensionProperties",
        "fields": "fieldmask",
    },
    "AppendDimensionRequest": {"sheetId": "int32", "dimension": "enum:Dimension", "length": "int32"},
    "InsertDimensionRequest": {"range": "msg:DimensionRange", "inheritFromBefore": "bool"},
    "DeleteDimensionRequest": {"range": "msg:DimensionRange"},
    "MergeCellsRequest": {"range": _RANGE, "mergeType": "enum:MergeType"},
    "UnmergeCellsRequest": {"range": _RANGE},
    "SetBasicFilterRequest": {"filter": "msg:BasicFilter"},
    "ClearBasicFilterRequest": {"sheetId": "int32"},
    "AddNamedRangeRequest": {"namedRange": "msg:NamedRange"},
    "DeleteNamedRangeRequest": {"namedRangeId": "string"},
    "UpdateNamedRangeRequest": {"namedRange": "msg:NamedRange", "fields": "fieldmask"},
    "AutoResizeDimensionsRequest": {"dimensions": "msg:DimensionRange"},
    # --- building blocks --------------------------------------------------------
    "GridRange": {
        "sheetId": "int32",
        "startRowIndex": "int32",
        "endRowIndex": "int32",
        "startColumnIndex": "int32",
        "endColumnIndex": "int32",
    },
    "GridCoordinate": {"sheetId": "int32", "rowIndex": "int32", "columnIndex": "int32"},
    "DimensionRange": {"sheetId": "int32", "dimension": "enum:Dimension", "startIndex": "int32", "endIndex": "int32"},
    "DimensionProperties": {"hiddenByFilter": "bool", "hiddenByUser": "bool", "pixelSize": "int32"},
    "SheetProperties": {
        "sheetId": "int32",
        "title": "string",
        "index": "int32",
        "sheetType": "enum:SheetType",
        "gridProperties": "msg:GridProperties",
        "hidden": "bool",
        "tabColor": _COLOR,
        "tabColorStyle": _COLOR_STYLE,
        "rightToLeft": "bool",
    },
    "GridProperties": {
        "rowCount": "int32",
        "columnCount": "int32",
        "frozenRowCount": "int32",
        "frozenColumnCount": "int32",
        "hideGridlines": "bool",
        "rowGroupControlAfter": "bool",
        "columnGroupControlAfter": "bool",
    },
    "SpreadsheetProperties": {
        "title": "string",
        "locale": "string",
        "autoRecalc": "enum:RecalculationInterval",
        "timeZone": "string",
        "defaultFormat": "msg:CellFormat",
        "importFunctionsExternalUrlAccessAllowed": "bool",
    },
    "Color": {"red": "float", "green": "float", "blue": "float", "alpha": "float"},
    "ColorStyle": {"rgbColor": _COLOR, "themeColor": "enum:ThemeColorType"},
    "RowData": {"values": "list:msg:CellData"},
    "CellData": {
        "userEnteredValue": "msg:ExtendedValue",
        "effectiveValue": "msg:ExtendedValue",
        "formattedValue": "string",
        "userEnteredFormat": "msg:CellFormat",
        "effectiveFormat": "msg:CellFormat",
        "hyperlink": "string",
        "note": "string",
        "textFormatRuns": "list:msg:TextFormatRun",
        "dataValidation": "msg:DataValidationRule",
    },
    "ExtendedValue": {
        "numberValue": "double",
        "stringValue": "string",
        "boolValue": "bool",
        "formulaValue": "string",
        "errorValue": "msg:ErrorValue",
    },
    "ErrorValue": {"type": "enum:ErrorType", "message": "string"},
    "CellFormat": {
        "numberFormat": "msg:NumberFormat",
        "backgroundColor": _COLOR,
        "backgroundColorStyle": _COLOR_STYLE,
        "borders": "msg:Borders",
        "padding": "msg:Padding",
        "horizontalAlignment": "enum:HorizontalAlign",
        "verticalAlignment": "enum:VerticalAlign",
        "wrapStrategy": "enum:WrapStrategy",
        "textDirection": "enum:TextDirection",
        "textFormat": "msg:TextFormat",
        "hyperlinkDisplayType": "enum:HyperlinkDisplayType",
        "textRotation": "msg:TextRotation",
    },
    "NumberFormat": {"type": "enum:NumberFormatType", "pattern": "string"},
    "Borders": {"top": "msg:Border", "bottom": "msg:Border", "left": "msg:Border", "right": "msg:Border"},
    "Border": {"style": "enum:BorderStyle", "width": "int32", "color": _COLOR, "colorStyle": _COLOR_STYLE},
    "Padding": {"top": "int32", "right": "int32", "bottom": "int32", "left": "int32"},
    "TextFormat": {
        "foregroundColor": _COLOR,
        "foregroundColorStyle": _COLOR_STYLE,
        "fontFamily": "string",
        "fontSize": "int32",
        "bold": "bool",
        "italic": "bool",
        "strikethrough": "bool",
        "underline": "bool",
        "link": "msg:Link",
    },
    "Link": {"uri": "string"},
    "TextRotation": {"angle": "int32", "vertical": "bool"},
    "TextFormatRun": {"startIndex": "int32", "format": "msg:TextFormat"},
    "DataValidationRule": {
        "condition": "msg:BooleanCondition",
        "inputMessage": "string",
        "strict": "bool",
        "showCustomUi": "bool",
    },
    "BooleanCondition": {"type": "enum:ConditionType", "values": "list:msg:ConditionValue"},
    "ConditionValue": {"relativeDate": "enum:RelativeDate", "userEnteredValue": "string"},
    "ProtectedRange": {
        "protectedRangeId": "int32",
        "range": _RANGE,
        "namedRangeId": "string",
        "description": "string",
        "warningOnly": "bool",
        "requestingUserCanEdit": "bool",
        "unprotectedRanges": f"list:{_RANGE}",
        "editors": "msg:Editors",
    },
    "Editors": {"users": "list:string", "groups": "list:string", "domainUsersCanEdit": "bool"},
    "NamedRange": {"namedRangeId": "string", "name": "string", "range": _RANGE},
    "BasicFilter": {
        "range": _RANGE,
        "sortSpecs": "list:msg:SortSpec",
        "criteria": "map:msg:FilterCriteria",
        "filterSpecs": "list:msg:FilterSpec",
    },
    "SortSpec": {
        "dimensionIndex": "int32",
        "sortOrder": "enum:SortOrder",
        "foregroundColor": _COLOR,
        "backgroundColor": _COLOR,
        "foregroundColorStyle": _COLOR_STYLE,
        "backgroundColorStyle": _COLOR_STYLE,
    },
    "FilterSpec": {"columnIndex": "int32", "filterCriteria": "msg:FilterCriteria"},
    "FilterCriteria": {
        "hiddenValues": "list:string",
        "condition": "msg:BooleanCondition",
        "visibleBackgroundColor": _COLOR,
        "visibleBackgroundColorStyle": _COLOR_STYLE,
        "visibleForegroundColor": _COLOR,
        "visibleForegroundColorStyle": _COLOR_STYLE,
    },
}
