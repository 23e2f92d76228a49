using CaseExchange.Charter;
using CaseExchange.Councils;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>A CR version as a file: its bytes, media type and download name.</summary>
public sealed record CompteRenduFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>The formats people use: DOCX (the mairie's usual editing), HTML and Markdown. All three render the same content.</summary>
public static class CompteRenduFormats
{
    public const string Docx = "docx";
    public const string Html = "html";
    public const string Markdown = "md";

    public static readonly IReadOnlyList<string> All = [Docx, Html, Markdown];

    public static CompteRenduFile Render(CompteRenduContent content, string format) => format switch
    {
        Docx => new(CompteRenduDocx.Render(content), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileName(content, Docx)),
        Html => new(Encoding.UTF8.GetBytes(RenderHtml(content)), "text/html; charset=utf-8", FileName(content, Html)),
        Markdown => new(Encoding.UTF8.GetBytes(RenderMarkdown(content)), "text/markdown; charset=utf-8", FileName(content, Markdown)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>ASCII only: "CR-gt-decrochage-scolaire-2026-03-17-v2.docx".</summary>
    public static string FileName(CompteRenduContent content, string extension)
    {
        var slug = new StringBuilder();
        foreach (var c in IdentityTextGuard.Fold(content.GroupName))
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var name = slug.ToString().Trim('-');
        if (name.Length > 40) name = name[..40].Trim('-');
        return $"CR-{(name.Length > 0 ? name : "groupe")}-{FrenchTime.Local(content.SeanceDate):yyyy-MM-dd}-v{content.Number}.{extension}";
    }

    public static string Title(CompteRenduContent c) => $"Compte rendu anonymisé — {c.GroupName}";

    public static string Subtitle(CompteRenduContent c) =>
        $"Séance du {FrenchTime.DateAndTime(c.SeanceDate)} · {c.CouncilName} · version {c.Number}, établie le {FrenchTime.Day(c.GeneratedAt)}";

    public static string Participant(Participation p) => $"{p.Organisation} — {p.Function}";

    public static string Owner(ActionInCompteRendu a) => $"{a.OwnerOrganisation} ({a.OwnerRole})";

    public static IEnumerable<string> Paragraphs(string? text) =>
        (text ?? "").Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public const string NominativePartTitle = "Partie nominative (membres du groupe signataires de la charte)";
    public const string GeneralPartTitle = "Partie générale uniquement";
    public const string NoOne = "Aucun participant enregistré.";

    public static string RenderMarkdown(CompteRenduContent c)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Md(Title(c))).AppendLine();
        md.AppendLine(Md(Subtitle(c))).AppendLine();
        md.Append("> ").AppendLine(Md(CompteRenduContent.Notice)).AppendLine();

        md.AppendLine("## Participants").AppendLine();
        foreach (var (title, people) in new[] { (NominativePartTitle, c.NominativePart), (GeneralPartTitle, c.GeneralPartOnly) })
        {
            md.Append("**").Append(Md(title)).AppendLine("**").AppendLine();
            if (people.Count == 0) md.AppendLine(NoOne);
            foreach (var p in people) md.Append("- ").AppendLine(Md(Participant(p)));
            md.AppendLine();
        }

        if (c.Synthese is not null)
        {
            md.AppendLine("## Synthèse générale").AppendLine();
            foreach (var p in Paragraphs(c.Synthese)) md.AppendLine(Md(p)).AppendLine();
        }

        md.AppendLine("## Situations examinées").AppendLine();
        if (c.Examined.Count == 0) md.AppendLine("Aucune situation n'a été examinée.").AppendLine();
        foreach (var s in c.Examined)
        {
            md.Append("### ").AppendLine(Md(s.Pseudonym)).AppendLine();
            md.Append("- Tranche d'âge : ").AppendLine(Md(string.Join(", ", s.AgeBands)));
            md.Append("- Motifs : ").AppendLine(Md(string.Join(" ; ", s.Reasons)));
            md.Append("- Secteur : ").AppendLine(Md(s.Sector));
            md.Append("- Décisions : ").AppendLine(Md(string.Join(" ; ", s.Decisions)));
            md.AppendLine();
            if (s.Actions.Count > 0)
            {
                md.AppendLine("| Action décidée | Porteur | Échéance | État |").AppendLine("|---|---|---|---|");
                foreach (var a in s.Actions)
                    md.Append("| ").Append(Md(a.Kind)).Append(" | ").Append(Md(Owner(a))).Append(" | ").Append(Md(FrenchTime.Day(a.DueOn)))
                        .Append(" | ").Append(Md(a.Status)).AppendLine(" |");
                md.AppendLine();
            }
            if (s.Note is not null)
                foreach (var p in Paragraphs(s.Note)) md.AppendLine(Md(p)).AppendLine();
        }

        if (c.Postponed.Count > 0)
        {
            md.AppendLine("## Situations inscrites et non examinées (reportées)").AppendLine();
            foreach (var p in c.Postponed) md.Append("- ").AppendLine(Md(p));
            md.AppendLine();
        }

        if (c.GeneralPart is { } general)
        {
            md.Append("## ").AppendLine(Md(CompteRenduContent.GeneralPartTitle)).AppendLine();
            foreach (var g in general)
                md.Append("- **").Append(Md(g.Kind)).Append("** : ").Append(Md(g.Text)).Append(" — Décision : ").AppendLine(Md(g.Decision ?? CompteRenduContent.NoDecision));
            md.AppendLine();
        }

        if (c.ProchainesEtapes is not null)
        {
            md.AppendLine("## Prochaines étapes").AppendLine();
            foreach (var p in Paragraphs(c.ProchainesEtapes)) md.AppendLine(Md(p)).AppendLine();
        }
        return md.ToString();
    }

    /// <summary>Markdown: text stays text (no link, image, HTML or emphasis can be smuggled in through a free text).</summary>
    private static string Md(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var ch in text.Replace("\n", " "))
        {
            if (ch is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|' or '!' or '~') escaped.Append('\\');
            escaped.Append(ch);
        }
        return escaped.ToString();
    }

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string RenderHtml(CompteRenduContent c)
    {
        string H(string text) => Encoder.Encode(text);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"fr\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(H(Title(c))).AppendLine("</title>")
            .AppendLine("<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}" +
                        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}" +
                        ".notice{border-left:4px solid #a00;padding-left:1em;color:#600}</style></head><body>");
        html.Append("<h1>").Append(H(Title(c))).AppendLine("</h1>");
        html.Append("<p>").Append(H(Subtitle(c))).AppendLine("</p>");
        html.Append("<p class=\"notice\">").Append(H(CompteRenduContent.Notice)).AppendLine("</p>");

        html.AppendLine("<h2>Participants</h2>");
        foreach (var (title, people) in new[] { (NominativePartTitle, c.NominativePart), (GeneralPartTitle, c.GeneralPartOnly) })
        {
            html.Append("<h3>").Append(H(title)).AppendLine("</h3>");
            if (people.Count == 0) html.Append("<p>").Append(H(NoOne)).AppendLine("</p>");
            else html.Append("<ul>").AppendJoin("", people.Select(p => $"<li>{H(Participant(p))}</li>")).AppendLine("</ul>");
        }

        if (c.Synthese is not null)
        {
            html.AppendLine("<h2>Synthèse générale</h2>");
            foreach (var p in Paragraphs(c.Synthese)) html.Append("<p>").Append(H(p)).AppendLine("</p>");
        }

        html.AppendLine("<h2>Situations examinées</h2>");
        if (c.Examined.Count == 0) html.AppendLine("<p>Aucune situation n'a été examinée.</p>");
        foreach (var s in c.Examined)
        {
            html.Append("<h3>").Append(H(s.Pseudonym)).AppendLine("</h3><ul>");
            html.Append("<li>Tranche d'âge : ").Append(H(string.Join(", ", s.AgeBands))).AppendLine("</li>");
            html.Append("<li>Motifs : ").Append(H(string.Join(" ; ", s.Reasons))).AppendLine("</li>");
            html.Append("<li>Secteur : ").Append(H(s.Sector)).AppendLine("</li>");
            html.Append("<li>Décisions : ").Append(H(string.Join(" ; ", s.Decisions))).AppendLine("</li></ul>");
            if (s.Actions.Count > 0)
            {
                html.AppendLine("<table><thead><tr><th>Action décidée</th><th>Porteur</th><th>Échéance</th><th>État</th></tr></thead><tbody>");
                foreach (var a in s.Actions)
                    html.Append("<tr><td>").Append(H(a.Kind)).Append("</td><td>").Append(H(Owner(a))).Append("</td><td>")
                        .Append(H(FrenchTime.Day(a.DueOn))).Append("</td><td>").Append(H(a.Status)).AppendLine("</td></tr>");
                html.AppendLine("</tbody></table>");
            }
            if (s.Note is not null)
                foreach (var p in Paragraphs(s.Note)) html.Append("<p>").Append(H(p)).AppendLine("</p>");
        }

        if (c.Postponed.Count > 0)
        {
            html.AppendLine("<h2>Situations inscrites et non examinées (reportées)</h2><ul>");
            foreach (var p in c.Postponed) html.Append("<li>").Append(H(p)).AppendLine("</li>");
            html.AppendLine("</ul>");
        }

        if (c.GeneralPart is { } general)
        {
            html.Append("<h2>").Append(H(CompteRenduContent.GeneralPartTitle)).AppendLine("</h2>");
            html.AppendLine("<table><thead><tr><th>Nature</th><th>Point</th><th>Décision</th></tr></thead><tbody>");
            foreach (var g in general)
                html.Append("<tr><td>").Append(H(g.Kind)).Append("</td><td>").Append(H(g.Text)).Append("</td><td>")
                    .Append(H(g.Decision ?? CompteRenduContent.NoDecision)).AppendLine("</td></tr>");
            html.AppendLine("</tbody></table>");
        }

        if (c.ProchainesEtapes is not null)
        {
            html.AppendLine("<h2>Prochaines étapes</h2>");
            foreach (var p in Paragraphs(c.ProchainesEtapes)) html.Append("<p>").Append(H(p)).AppendLine("</p>");
        }
        return html.AppendLine("</body></html>").ToString();
    }
}
