using System.Globalization;
using System.Text;

namespace CaseExchange.Benchmarks.Measurement;

/// <summary>One line of the table: a figure, its baseline measured in the same run, the ratio and the goal.</summary>
public sealed record Figure(string Number, string Name, string Value, string Baseline, string BaselineValue, string Ratio, string Goal, bool? Met);

/// <summary>The table and what goes around it: when, where, under which load, and the details behind each line.</summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _details = [];
    private readonly List<(string Key, string Value)> _context = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine($"  => {figure.Name}: {figure.Value} | {figure.Baseline}: {figure.BaselineValue} | {figure.Ratio} (goal {figure.Goal})");
    }

    public void Detail(string line)
    {
        _details.Add(line);
        Console.WriteLine($"  {line}");
    }

    public void Context(string key, string value) => _context.Add((key, value));

    public string ContextMarkdown()
    {
        var b = new StringBuilder();
        foreach (var (key, value) in _context) b.AppendLine($"- {key}: {value}");
        return b.ToString();
    }

    public string Table()
    {
        var b = new StringBuilder();
        b.AppendLine("| # | Figure | Value | Baseline (same run, same PostgreSQL) | Baseline value | Ratio | Goal | Met? |");
        b.AppendLine("|---|---|---:|---|---:|---:|---|---|");
        foreach (var f in _figures)
            b.AppendLine($"| {f.Number} | {f.Name} | {f.Value} | {f.Baseline} | {f.BaselineValue} | {f.Ratio} | {f.Goal} | {(f.Met switch { true => "yes", false => "**no**", null => "—" })} |");
        return b.ToString();
    }

    public string Markdown()
    {
        var b = new StringBuilder();
        b.AppendLine("# CaseExchange benchmarks");
        b.AppendLine();
        foreach (var (key, value) in _context) b.AppendLine($"- {key}: {value}");
        b.AppendLine();
        b.Append(Table());
        b.AppendLine();
        b.AppendLine("## Details");
        b.AppendLine();
        foreach (var line in _details) b.AppendLine($"- {line}");
        return b.ToString();
    }

    public static string Number(double value, int decimals = 0) => value.ToString($"N{decimals}", CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => (ratio * 100).ToString(ratio < 0.1 ? "F2" : "F0", CultureInfo.InvariantCulture) + " %";

    public static string Times(double ratio) => ratio.ToString(ratio < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ×";

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";
}
