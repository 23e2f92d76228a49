using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CaseExchange.Charter;
using CaseExchange.Councils;

namespace CaseExchange.Seances.Paperwork;

// The séance's paperwork (convocation, feuille d'émargement) as a sequence of plain blocks, rendered to DOCX (built in
// code, as the CR is), to PDF (PaperPdf) and to a printable HTML page. The blocks hold text only: every value is escaped in HTML and
// written as a Word text run, never interpreted.

public abstract record PaperBlock;

public sealed record PaperHeading(string Text, int Level = 1) : PaperBlock;

public sealed record PaperParagraph(string Text) : PaperBlock;

/// <summary>A notice set apart (the charter's reminder).</summary>
public sealed record PaperNotice(string Text) : PaperBlock;

/// <summary>A table; <c>ForSignatures</c> makes its rows tall enough to sign in.</summary>
public sealed record PaperTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool ForSignatures = false) : PaperBlock;

public sealed record PaperDocument(string Title, string Subtitle, DateTimeOffset At, IReadOnlyList<PaperBlock> Blocks)
{
    public const string Docx = "docx";
    public const string Html = "html";
    public const string Pdf = "pdf";
    public static readonly IReadOnlyList<string> Formats = [Docx, Pdf, Html];

    public PaperFile Render(string format, string fileStem) => format switch
    {
        Docx => new(PaperDocx.Render(this), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", $"{fileStem}.docx"),
        Pdf => new(PaperPdf.Render(this), PaperPdf.ContentType, $"{fileStem}.pdf"),
        Html => new(Encoding.UTF8.GetBytes(PaperHtml.Render(this)), "text/html; charset=utf-8", $"{fileStem}.html"),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>ASCII only: "convocation-gt-centre-2026-03-17-n1".</summary>
    public static string Stem(string kind, string groupName, DateTimeOffset seanceDate, int? number = null)
    {
        var slug = new StringBuilder();
        foreach (var c in IdentityTextGuard.Fold(groupName))
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var name = slug.ToString().Trim('-');
        if (name.Length > 40) name = name[..40].Trim('-');
        return $"{kind}-{(name.Length > 0 ? name : "groupe")}-{FrenchTime.Local(seanceDate):yyyy-MM-dd}{(number is { } n ? $"-n{n}" : "")}";
    }
}

public sealed record PaperFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>A standalone page to print: its own stylesheet (A4, tables with borders), no script, no external resource.</summary>
public static class PaperHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Render(PaperDocument d)
    {
        string H(string text) => Encoder.Encode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(H(d.Title)).Append("</title>\n")
            .Append("<style>@page{size:A4;margin:2cm}body{font-family:'Liberation Sans',Arial,sans-serif;font-size:11pt;color:#111;max-width:50em;margin:auto}")
            .Append("table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #333;padding:.3em .5em;text-align:left;vertical-align:top}")
            .Append("tr.signature td{height:3em}td.signature{width:12em}.notice{border-left:4px solid #900;padding:.3em .8em;color:#600}")
            .Append("caption{text-align:left;font-weight:bold;margin-bottom:.3em}@media print{a{color:inherit}}</style>\n</head>\n<body>\n<main>\n");
        html.Append("<h1>").Append(H(d.Title)).Append("</h1>\n<p>").Append(H(d.Subtitle)).Append("</p>\n");
        foreach (var block in d.Blocks)
        {
            switch (block)
            {
                case PaperHeading h:
                    var level = Math.Clamp(h.Level + 1, 2, 4);
                    html.Append($"<h{level}>").Append(H(h.Text)).Append($"</h{level}>\n");
                    break;
                case PaperParagraph p:
                    html.Append("<p>").Append(H(p.Text)).Append("</p>\n");
                    break;
                case PaperNotice n:
                    html.Append("<p class=\"notice\">").Append(H(n.Text)).Append("</p>\n");
                    break;
                case PaperTable t:
                    html.Append("<table>\n<caption>").Append(H(t.Caption)).Append("</caption>\n<thead><tr>");
                    foreach (var cell in t.Header) html.Append("<th scope=\"col\">").Append(H(cell)).Append("</th>");
                    html.Append("</tr></thead>\n<tbody>\n");
                    foreach (var row in t.Rows)
                    {
                        html.Append(t.ForSignatures ? "<tr class=\"signature\">" : "<tr>");
                        for (var i = 0; i < row.Count; i++)
                            html.Append(i == 0 ? "<th scope=\"row\">" : t.ForSignatures && i == row.Count - 1 ? "<td class=\"signature\">" : "<td>")
                                .Append(H(row[i])).Append(i == 0 ? "</th>" : "</td>");
                        html.Append("</tr>\n");
                    }
                    html.Append("</tbody>\n</table>\n");
                    break;
            }
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
