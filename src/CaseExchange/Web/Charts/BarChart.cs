using System.Globalization;
using CaseExchange.Statistics;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace CaseExchange.Web.Charts;

/// <summary>One bar: its label, the published count (null when suppressed) and its geometry in the chart's units.</summary>
public sealed record Bar(string Label, int? Count, int Y, int Length);

/// <summary>
/// A horizontal bar chart of one statistics table, drawn on the server as inline SVG with presentation attributes only
/// (the pages' Content-Security-Policy forbids style attributes), and described in words for those who cannot see it.
/// The table next to it remains the reference; suppressed cells are drawn as an empty, outlined band.
/// </summary>
public sealed record BarChart(string Id, string Title, string Description, int Width, int Height, int BarStart, int BarMaxLength, IReadOnlyList<Bar> Bars)
{
    public const int RowHeight = 46;
    public const int BarThickness = 18;
    public const int LabelBaseline = 16;

    /// <summary>A suppressed cell is an outlined band of one fixed length: its length says nothing of its count.</summary>
    public const int SuppressedLength = 48;

    public string TitleId => $"{Id}-titre";
    public string DescriptionId => $"{Id}-desc";
    public string ViewBox => $"0 0 {Width} {Height}";

    public static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// An SVG &lt;text&gt; element (Razor reserves that tag name): the content is encoded like any Razor output.
    /// </summary>
    public static IHtmlContent Text(int x, int y, string content, params (string Name, string Value)[] attributes)
    {
        var text = new TagBuilder("text");
        text.Attributes["x"] = N(x);
        text.Attributes["y"] = N(y);
        foreach (var (name, value) in attributes) text.Attributes[name] = value;
        text.InnerHtml.Append(content);
        return text;
    }

    /// <summary>Null when nothing in the table is published: an empty chart would say nothing the table does not.</summary>
    public static BarChart? Of(StatisticsTable table, string suppressedLabel, int width = 720)
    {
        if (table.Cells.All(c => c.Suppressed)) return null;
        const int margin = 8, valueRoom = 190;
        var max = Math.Max(1, table.Cells.Max(c => c.Count ?? 0));
        var barMax = width - 2 * margin - valueRoom;
        var bars = table.Cells.Select((cell, i) => new Bar(cell.Label, cell.Count, margin + i * RowHeight,
            cell.Count is { } count ? Math.Max(count == 0 ? 0 : 2, (int)Math.Round((double)count * barMax / max)) : SuppressedLength)).ToList();
        var words = string.Join(" ; ", table.Cells.Select(c => $"{c.Label} : {(c.Suppressed ? suppressedLabel : c.Count!.Value.ToString(CultureInfo.GetCultureInfo("fr-FR")))}"));
        return new BarChart($"graphique-{table.Code}", $"Graphique : {table.Title}",
            $"Diagramme en barres horizontales. {words}. Le tableau ci-dessus fait référence.",
            width, margin * 2 + bars.Count * RowHeight, margin, barMax, bars);
    }
}
