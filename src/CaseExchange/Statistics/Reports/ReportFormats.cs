using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using CaseExchange.Councils;
using CaseExchange.Seances.CompteRendu;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CaseExchange.Statistics.Reports;

public sealed record ReportFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>
/// A published report as DOCX (tables, and a horizontal bar chart per table drawn with shaded table cells, which Word
/// and LibreOffice both render), ODS (an OpenDocument spreadsheet written here: a zip of mimetype, manifest and
/// content.xml) and CSV (semicolons, UTF-8 with a byte order mark, as French spreadsheets expect). Everything comes from
/// the frozen figures; a suppressed cell reads "secret statistique" and has no bar length of its own.
/// </summary>
public static class ReportFormats
{
    public const string Docx = "docx", Ods = "ods", Csv = "csv";
    public static readonly IReadOnlyList<string> All = [Docx, Ods, Csv];
    public const string Suppressed = "secret statistique";

    public static ReportFile Render(PublishedReport report, string format) => format switch
    {
        Docx => new(RenderDocx(report), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileName(report, Docx)),
        Ods => new(RenderOds(report), "application/vnd.oasis.opendocument.spreadsheet", FileName(report, Ods)),
        Csv => new(RenderCsv(report), "text/csv; charset=utf-8", FileName(report, Csv)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string FileName(PublishedReport report, string format) => $"rapport-pleniere-{report.Period}.{format}";

    public static string Title(PublishedReport report) => $"Rapport plénier — {report.Label}";

    public static string Subtitle(PublishedReport report) =>
        $"{report.Report.Council} · du {FrenchTime.Day(report.Report.From)} au {FrenchTime.Day(report.Report.To)} · publié le {FrenchTime.Day(report.PublishedAt)}";

    /// <summary>The lines every format shows, in order: (table, category, count or null when suppressed).</summary>
    public static IEnumerable<(string Table, string Category, int? Count)> Lines(PublishedReport report)
    {
        var r = report.Report;
        yield return ("Ensemble", "Situations signalées sur la période", r.Situations);
        yield return ("Ensemble", "Délai médian avant le premier examen (jours)", r.MedianDaysToFirstExamination);
        foreach (var table in r.Tables)
        {
            foreach (var cell in table.Cells) yield return (table.Title, cell.Label, cell.Count);
            if (table.Total is { } total) yield return (table.Title, "Total", total);
        }
    }

    public static string Value(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? Suppressed;

    public static IEnumerable<string> Notes(PublishedReport report)
    {
        yield return report.Report.Population;
        yield return report.Report.Notice;
        yield return $"« {Suppressed} » : case occultée parce que son effectif est inférieur à {report.Report.Threshold}, ou parce qu'elle permettrait " +
                     "de retrouver un tel effectif par différence avec les autres cases, les totaux ou les rapports déjà publiés.";
        if (report.SuppressedAcrossReports.Count > 0)
            yield return $"{report.SuppressedAcrossReports.Count} case(s) occultée(s) en plus à cause des rapports publiés auparavant : " +
                         "aucune différence entre rapports publiés ne permet de retrouver une case occultée ni un petit effectif d'une période fixe.";
        yield return "Chiffres figés à la publication : un nouveau téléchargement donne les mêmes cases.";
    }

    private static byte[] RenderCsv(PublishedReport report)
    {
        var csv = new StringBuilder();
        static string Q(string text) => text.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
        csv.Append("Période;").Append(Q(report.Label)).Append("\r\n");
        csv.Append("Tableau;Catégorie;Situations\r\n");
        foreach (var (table, category, count) in Lines(report))
            csv.Append(Q(table)).Append(';').Append(Q(category)).Append(';').Append(Value(count)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static byte[] RenderOds(PublishedReport report)
    {
        static string X(string text) => SecurityElement.Escape(text);
        var rows = new StringBuilder();
        void Row(params (string Text, int? Number)[] cells)
        {
            rows.Append("<table:table-row>");
            foreach (var (text, number) in cells)
                rows.Append(number is { } n
                    ? $"<table:table-cell office:value-type=\"float\" office:value=\"{n.ToString(CultureInfo.InvariantCulture)}\"><text:p>{n.ToString(CultureInfo.InvariantCulture)}</text:p></table:table-cell>"
                    : $"<table:table-cell office:value-type=\"string\"><text:p>{X(text)}</text:p></table:table-cell>");
            rows.Append("</table:table-row>");
        }
        Row((Title(report), null));
        Row((Subtitle(report), null));
        Row(("Tableau", null), ("Catégorie", null), ("Situations", null));
        foreach (var (table, category, count) in Lines(report)) Row((table, null), (category, null), (Value(count), count));
        foreach (var note in Notes(report)) Row((note, null));
        var content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " +
            "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">" +
            "<office:body><office:spreadsheet>" +
            $"<table:table table:name=\"{X(report.Period)}\"><table:table-column table:number-columns-repeated=\"3\"/>{rows}</table:table>" +
            "</office:spreadsheet></office:body></office:document-content>";
        const string manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">" +
            "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>" +
            "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>" +
            "</manifest:manifest>";

        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            // The mimetype first and stored uncompressed, as OpenDocument requires; fixed dates keep the file identical.
            void Entry(string name, string text, CompressionLevel level)
            {
                var entry = zip.CreateEntry(name, level);
                entry.LastWriteTime = new DateTimeOffset(report.PublishedAt.UtcDateTime.Date, TimeSpan.Zero);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
            Entry("mimetype", "application/vnd.oasis.opendocument.spreadsheet", CompressionLevel.NoCompression);
            Entry("META-INF/manifest.xml", manifest, CompressionLevel.Optimal);
            Entry("content.xml", content, CompressionLevel.Optimal);
        }
        return stream.ToArray();
    }

    private static byte[] RenderDocx(PublishedReport report) => CompteRenduDocx.Document(Title(report), report.PublishedAt, body =>
    {
        var r = report.Report;
        body.Append(CompteRenduDocx.Paragraph(Title(report), "Title"));
        body.Append(CompteRenduDocx.Paragraph(Subtitle(report)));
        foreach (var note in Notes(report)) body.Append(CompteRenduDocx.Paragraph(note, "Notice"));
        body.Append(CompteRenduDocx.Table(null,
            [["Situations signalées sur la période", Value(r.Situations)],
             ["Délai médian entre le signalement et le premier examen", r.MedianDaysToFirstExamination is { } m ? $"{m} jour(s)" : Suppressed]]));
        foreach (var table in r.Tables)
        {
            body.Append(CompteRenduDocx.Paragraph(table.Title, "Heading1"));
            if (table.Note is { } note) body.Append(CompteRenduDocx.Paragraph(note));
            var rows = table.Cells.Select(c => new[] { c.Label, Value(c.Count) }).ToList();
            if (table.Total is { } total) rows.Add(["Total", total.ToString(CultureInfo.InvariantCulture)]);
            body.Append(CompteRenduDocx.Table(["Catégorie", "Situations"], rows));
            if (table.Cells.All(c => c.Suppressed))
                body.Append(CompteRenduDocx.Paragraph("Pas de graphique : toutes les cases de ce tableau sont occultées."));
            else
            {
                body.Append(CompteRenduDocx.Paragraph($"Graphique : {table.Title}", "Heading2"));
                body.Append(BarChart(table));
            }
        }
    });

    /// <summary>
    /// A horizontal bar chart as a borderless table: label, bar, value. The bar is a cell shaded over a width proportional
    /// to the count (in fiftieths of a percent of its column); a suppressed cell is an outlined band of one fixed width.
    /// </summary>
    private static Table BarChart(StatisticsTable table)
    {
        const int labelWidth = 3200, barWidth = 5200, valueWidth = 1600; // twentieths of a point
        var max = Math.Max(1, table.Cells.Max(c => c.Count ?? 0));
        var chart = new Table(new TableProperties(new TableWidth { Width = (labelWidth + barWidth + valueWidth).ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableLayout { Type = TableLayoutValues.Fixed }),
            new TableGrid(new GridColumn { Width = labelWidth.ToString(CultureInfo.InvariantCulture) },
                new GridColumn { Width = barWidth.ToString(CultureInfo.InvariantCulture) }, new GridColumn { Width = valueWidth.ToString(CultureInfo.InvariantCulture) }));
        foreach (var cell in table.Cells)
        {
            var length = cell.Count is { } count ? (count == 0 ? 0 : Math.Max(60, (int)Math.Round((double)count * barWidth / max))) : barWidth / 8;
            var bar = new Table(new TableProperties(new TableWidth { Width = barWidth.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed }),
                new TableGrid([.. (length > 0 ? new[] { length, Math.Max(20, barWidth - length) } : [barWidth])
                    .Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })]));
            var barRow = new TableRow(new TableRowProperties(new TableRowHeight { Val = 280U, HeightType = HeightRuleValues.Exact }));
            if (length > 0)
            {
                var properties = new TableCellProperties(new TableCellWidth { Width = length.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa });
                if (cell.Suppressed)
                    // In the schema's order (top, left, bottom, right): Word reports another order as unreadable content.
                    properties.Append(new TableCellBorders(
                        new TopBorder { Val = BorderValues.Dashed, Size = 6, Color = "1F4E79" }, new LeftBorder { Val = BorderValues.Dashed, Size = 6, Color = "1F4E79" },
                        new BottomBorder { Val = BorderValues.Dashed, Size = 6, Color = "1F4E79" }, new RightBorder { Val = BorderValues.Dashed, Size = 6, Color = "1F4E79" }));
                else
                    properties.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "1F4E79" });
                barRow.Append(new TableCell(properties, new Paragraph()));
            }
            barRow.Append(new TableCell(new TableCellProperties(new TableCellWidth { Width = Math.Max(20, barWidth - length).ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }), new Paragraph()));
            bar.Append(barRow);
            chart.Append(new TableRow(
                new TableCell(new TableCellProperties(new TableCellWidth { Width = labelWidth.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
                    CompteRenduDocx.Paragraph(cell.Label)),
                new TableCell(new TableCellProperties(new TableCellWidth { Width = barWidth.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
                    bar, new Paragraph()),
                new TableCell(new TableCellProperties(new TableCellWidth { Width = valueWidth.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
                    CompteRenduDocx.Paragraph(Value(cell.Count)))));
        }
        return chart;
    }
}
