using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CaseExchange.Situations.Import;

/// <summary>NOMINATIVE, IN CLEAR: the cells of an uploaded sheet, in memory only (row 1 = the sheet's first row).</summary>
public sealed record SheetRow(int Number, IReadOnlyList<string> Cells)
{
    public override string ToString() => $"[ligne {Number}]";
}

/// <summary>Why a file is not read at all (the whole import is refused with a 400, nothing written).</summary>
public sealed class UnreadableSheetException(string message) : Exception(message);

/// <summary>
/// Reads CSV (semicolon or comma, UTF-8 with or without BOM), ODS (content.xml) and XLSX (shared strings, first sheet)
/// from bytes held in memory, with System.IO.Compression and XML: no package, nothing written to disk. Sizes are bounded
/// (file, uncompressed parts, rows, columns) so that a crafted archive cannot exhaust memory. Messages never quote a cell.
/// </summary>
public static class SpreadsheetReader
{
    public const int MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;
    public const int MaxColumns = 40;
    private const long MaxPartBytes = 32L * 1024 * 1024;

    public static IReadOnlyList<SheetRow> Read(byte[] content)
    {
        if (content.Length == 0) throw new UnreadableSheetException("Le fichier est vide.");
        if (content.Length > MaxFileBytes) throw new UnreadableSheetException($"Le fichier dépasse {MaxFileBytes / 1024 / 1024} Mo.");
        var rows = IsZip(content) ? ReadArchive(content) : ReadCsv(content);
        return [.. rows.Where(r => r.Cells.Any(c => c.Length > 0))];
    }

    private static bool IsZip(byte[] b) => b.Length > 4 && b[0] == 0x50 && b[1] == 0x4B && b[2] == 0x03 && b[3] == 0x04;

    private static List<SheetRow> ReadArchive(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.GetEntry("xl/workbook.xml") is not null) return ReadXlsx(zip);
            if (zip.GetEntry("content.xml") is { } ods) return ReadOds(Load(ods));
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException)
        {
            throw new UnreadableSheetException("Le fichier n'est pas un tableur lisible (CSV, ODS ou XLSX).");
        }
        throw new UnreadableSheetException("Le fichier n'est pas un tableur lisible (CSV, ODS ou XLSX).");
    }

    private static XDocument Load(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPartBytes) throw new UnreadableSheetException("Le fichier décompressé est trop volumineux.");
        using var stream = entry.Open();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxPartBytes };
        using var reader = XmlReader.Create(stream, settings);
        return XDocument.Load(reader);
    }

    // ---- CSV ----

    private static List<SheetRow> ReadCsv(byte[] content)
    {
        string text;
        try
        {
            var start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content, start, content.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableSheetException("Le fichier n'est ni un classeur ODS ou XLSX, ni un CSV en UTF-8.");
        }
        if (text.Contains('\0')) throw new UnreadableSheetException("Le fichier n'est ni un classeur ODS ou XLSX, ni un CSV en UTF-8.");
        var firstLine = text.Split('\n', 2)[0];
        var separator = firstLine.Count(c => c == ';') >= firstLine.Count(c => c == ',') ? ';' : ',';

        var rows = new List<SheetRow>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var number = 1;
        void EndCell() { cells.Add(cell.ToString().Trim()); cell.Clear(); }
        void EndRow()
        {
            EndCell();
            if (cells.Count > MaxColumns) throw new UnreadableSheetException($"Une ligne dépasse {MaxColumns} colonnes.");
            rows.Add(new SheetRow(number++, [.. cells]));
            if (rows.Count > MaxRows) throw new UnreadableSheetException($"Le fichier dépasse {MaxRows} lignes.");
            cells.Clear();
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) EndCell();
            else if (c == '\r') { }
            else if (c == '\n') EndRow();
            else cell.Append(c);
        }
        if (cell.Length > 0 || cells.Count > 0) EndRow();
        return rows;
    }

    // ---- ODS ----

    private static readonly XNamespace Table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static readonly XNamespace Office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    private static List<SheetRow> ReadOds(XDocument content)
    {
        var table = content.Descendants(Table + "table").FirstOrDefault()
                    ?? throw new UnreadableSheetException("Le classeur ne contient aucune feuille.");
        var rows = new List<SheetRow>();
        var number = 1;
        foreach (var row in table.Descendants(Table + "table-row"))
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements().Where(e => e.Name == Table + "table-cell" || e.Name == Table + "covered-table-cell"))
            {
                var value = OdsValue(cell);
                var repeat = Math.Max(1, (int?)cell.Attribute(Table + "number-columns-repeated") ?? 1);
                for (var k = 0; k < repeat && cells.Count <= MaxColumns; k++) cells.Add(value);
            }
            while (cells.Count > 0 && cells[^1].Length == 0) cells.RemoveAt(cells.Count - 1);
            if (cells.Count > MaxColumns) throw new UnreadableSheetException($"Une ligne dépasse {MaxColumns} colonnes.");
            var rowsRepeated = Math.Max(1, (int?)row.Attribute(Table + "number-rows-repeated") ?? 1);
            if (cells.Count == 0) { number += rowsRepeated; continue; }
            for (var k = 0; k < rowsRepeated; k++)
            {
                rows.Add(new SheetRow(number++, cells));
                if (rows.Count > MaxRows) throw new UnreadableSheetException($"Le fichier dépasse {MaxRows} lignes.");
            }
        }
        return rows;
    }

    private static string OdsValue(XElement cell)
    {
        var type = (string?)cell.Attribute(Office + "value-type");
        if (type == "date" && (string?)cell.Attribute(Office + "date-value") is { } date) return date.Length >= 10 ? date[..10] : date;
        var paragraphs = cell.Elements(Text + "p").Select(p => string.Concat(p.DescendantNodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "s" } s => new string(' ', (int?)s.Attribute(Text + "c") ?? 1),
            XElement { Name.LocalName: "tab" } => "\t",
            XElement { Name.LocalName: "line-break" } => "\n",
            _ => "",
        })));
        return string.Join("\n", paragraphs).Trim();
    }

    // ---- XLSX ----

    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static List<SheetRow> ReadXlsx(ZipArchive zip)
    {
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } s
            ? Load(s).Root!.Elements(Sheet + "si").Select(si => string.Concat(si.Descendants(Sheet + "t").Select(t => t.Value))).ToList()
            : [];
        var sheetEntry = zip.GetEntry("xl/worksheets/sheet1.xml")
                         ?? zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                             .OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault()
                         ?? throw new UnreadableSheetException("Le classeur ne contient aucune feuille.");
        var rows = new List<SheetRow>();
        var next = 1;
        foreach (var row in Load(sheetEntry).Descendants(Sheet + "row"))
        {
            var number = int.TryParse((string?)row.Attribute("r"), out var r) ? r : next;
            next = number + 1;
            var cells = new List<string>();
            foreach (var c in row.Elements(Sheet + "c"))
            {
                var column = ColumnIndex((string?)c.Attribute("r")) ?? cells.Count;
                if (column >= MaxColumns) throw new UnreadableSheetException($"Une ligne dépasse {MaxColumns} colonnes.");
                while (cells.Count < column) cells.Add("");
                var raw = (string?)c.Element(Sheet + "v");
                var value = (string?)c.Attribute("t") switch
                {
                    "s" => int.TryParse(raw, out var i) && i >= 0 && i < shared.Count ? shared[i] : "",
                    "inlineStr" => string.Concat(c.Descendants(Sheet + "t").Select(t => t.Value)),
                    _ => raw ?? "",
                };
                if (cells.Count == column) cells.Add(value.Trim()); else cells[column] = value.Trim();
            }
            rows.Add(new SheetRow(number, cells));
            if (rows.Count > MaxRows) throw new UnreadableSheetException($"Le fichier dépasse {MaxRows} lignes.");
        }
        return rows;
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var index = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter)) index = index * 26 + (char.ToUpperInvariant(ch) - 'A' + 1);
        return index == 0 ? null : index - 1;
    }

    /// <summary>A date as a sheet holds it: jj/mm/aaaa, aaaa-mm-jj, or a spreadsheet serial number (XLSX dates).</summary>
    public static DateOnly? ParseDate(string value)
    {
        var v = value.Trim();
        if (v.Length == 0) return null;
        string[] formats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy", "yyyy-MM-ddTHH:mm:ss"];
        if (DateTime.TryParseExact(v, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return DateOnly.FromDateTime(d);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466)
            return DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
        return null;
    }
}
