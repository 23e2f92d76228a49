using CaseExchange.Councils;
using CaseExchange.Seances.CompteRendu;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CaseExchange.Journal.ControlReport;

/// <summary>
/// The annual control report as a Word document, built with the house's DOCX helpers (<see cref="CompteRenduDocx"/>:
/// paragraphs, tables, styles and section, valid for the SDK's validator). Document properties name the tool, never a person.
/// </summary>
public static class ControlReportDocx
{
    public const string Notice =
        "Document de contrôle destiné à l'auditeur (charte, article 19). Les situations n'y sont désignées que par leur pseudonyme ; " +
        "les membres y sont nommés comme dans le journal des accès. Les petits effectifs n'y sont pas masqués : ce n'est pas une statistique.";

    public static byte[] Render(ControlReportContent c) => CompteRenduDocx.Document(c.Title, c.GeneratedAt, body =>
    {
        void P(string text, string? style = null) => body.Append(CompteRenduDocx.Paragraph(text, style));
        void T(string[] header, IEnumerable<string[]> rows) => body.Append(CompteRenduDocx.Table(header, [.. rows]));

        P(c.Title, "Title");
        P($"{c.CouncilName} ({c.CouncilCode})");
        P(Period(c));
        P($"Établi le {FrenchTime.DateAndTime(c.GeneratedAt)} par {c.GeneratedBy}, à partir du journal des accès rejoué : " +
          "chaque entrée est rejugée avec les règles de la charte et l'état du conseil à son instant.");
        P(Notice, "Notice");

        P("Synthèse", "Heading1");
        T(["Indicateur", "Valeur"],
        [
            ["Entrées du journal sur la période", N(c.EntryCount)],
            ["Ouvertures de dossiers accordées", N(c.GrantedOpenings)],
            ["Tentatives refusées", N(c.RefusedCount)],
            ["Entrées dont le verdict rejoué diffère de la décision enregistrée", N(c.Disagreements.Count)],
            ["Ouvertures de dossiers archivés", N(c.ArchiveOpenings.Count)],
            ["Effacements effectués", N(c.ErasuresDone.Count)],
            ["Alertes", N(c.Alerts.Count)],
            ["Intégrité du journal", c.Integrity.Intact ? "Intègre" : "Altéré"],
        ]);

        P("Ouvertures de dossiers par groupe et par motif", "Heading1");
        P("Groupe détenteur de la situation à l'instant de l'ouverture (rejoué), motif déclaré dans la liste de la charte.");
        if (c.Openings.Count == 0) P("Aucune ouverture de dossier sur la période.");
        else T(["Groupe", "Motif", "Ouvertures"], c.Openings.Select(o => new[] { o.Group, o.PurposeLabel, N(o.Count) }));

        P("Refus par raison", "Heading1");
        if (c.Refusals.Count == 0) P("Aucune tentative refusée sur la période.");
        else T(["Raison du refus", "Code", "Nombre"], c.Refusals.Select(r => new[] { r.Label, r.Refusal, N(r.Count) }));

        P("Verdicts rejoués à examiner", "Heading1");
        P("Entrées pour lesquelles le rejeu des règles ne confirme pas la décision enregistrée : accès accordé que les règles refusent, " +
          "ou refus opposé à un membre qui y avait droit.");
        if (c.Disagreements.Count == 0) P("Aucune : chaque décision enregistrée est confirmée par le rejeu.");
        else T(["Instant", "Membre", "Action", "Situation", "Décision", "Verdict rejoué", "Raisons"],
            c.Disagreements.Select(d => new[]
            {
                FrenchTime.DateAndTime(d.At), $"{d.Member} — {d.Subject}", d.Action, d.Pseudonym, d.Granted ? "Accordé" : "Refusé", d.Verdict,
                string.Join(" ", d.Reasons),
            }));

        P("Ouvertures de dossiers archivés", "Heading1");
        P("Situations clôturées, ouvertes avec un motif de la liste de la charte et une justification écrite (dont le texte reste dans le journal, chiffré).");
        if (c.ArchiveOpenings.Count == 0) P("Aucune ouverture de dossier archivé sur la période.");
        else T(["Instant", "Membre", "Situation", "Motif", "Code", "Justification écrite"],
            c.ArchiveOpenings.Select(a => new[]
            {
                FrenchTime.DateAndTime(a.At), a.Member, a.Pseudonym, a.ReasonLabel, a.ReasonCode ?? "", a.WrittenReason ? "Oui" : "Non",
            }));

        P("Effacements des données nominatives", "Heading1");
        P("Effectués sur la période", "Heading2");
        if (c.ErasuresDone.Count == 0) P("Aucun effacement sur la période.");
        else T(["Date", "Situation", "Cause", "Motif de l'ordre"],
            c.ErasuresDone.Select(e => new[] { FrenchTime.Day(e.At), e.Pseudonym, e.CauseLabel, e.OrderReason ?? "" }));
        P($"Échus dans l'année {c.Period.Year} (fin de l'archive)", "Heading2");
        P("Situations dont l'archive intermédiaire prend fin dans l'année. Les échéances par limite d'âge reposent sur des dates de " +
          "naissance chiffrées : le service les applique lui-même et elles figurent parmi les effacements effectués.");
        if (c.ErasuresDue.Count == 0) P("Aucune échéance dans l'année.");
        else T(["Échéance", "Situation", "État", "Effacé le"],
            c.ErasuresDue.Select(d => new[]
            {
                FrenchTime.Day(d.DueAt), d.Pseudonym, ControlReportContent.StateLabel(d.State), d.ErasedAt is { } at ? FrenchTime.Day(at) : "",
            }));
        P("Registre des effacements (hors base)", "Heading2");
        P(Ledger(c.Ledger));

        P("Vérification de l'intégrité du journal", "Heading1");
        P(c.Integrity.Summary);
        T(["Élément", "Valeur"],
        [
            ["Entrées vérifiées (tout le journal)", N(c.Integrity.EntryCount)],
            ["Chaînes", N(c.Integrity.ChainCount)],
            ["Points de scellement", N(c.Integrity.CheckpointCount)],
            ["Entrées postérieures au dernier point de scellement", N(c.Integrity.UnsealedEntryCount)],
            ["Chaînes rompues", N(c.Integrity.BrokenChainCount)],
            ["Dernier point de scellement", c.Integrity.LastCheckpointSequence is { } seq ? $"n° {N(seq)}" : "aucun"],
            ["Son empreinte (ancre)", c.Integrity.LastCheckpointHash ?? ""],
        ]);
        P("L'empreinte du dernier point de scellement est à rapprocher de la liste des points de scellement que l'auditeur conserve hors " +
          "de la base (page « Points de scellement ») : une différence signale un point de scellement reconstruit ou supprimé.");
        foreach (var b in c.Integrity.Breaks) P("• " + b);

        P("Alertes", "Heading1");
        P("Ouvertures en nombre, refus répétés, ouvertures loin de toute séance du groupe : des questions à examiner, non des verdicts.");
        if (c.AlertsTruncated) P("La période compte trop d'entrées : seules les plus récentes ont été examinées pour les alertes.", "Notice");
        if (c.Alerts.Count == 0) P("Aucune alerte sur la période.");
        else T(["Alerte", "Membre", "Période", "Entrées", "Situations"],
            c.Alerts.Select(a => new[]
            {
                a.Label, a.Member, a.From == a.To ? FrenchTime.DateAndTime(a.From) : $"{FrenchTime.DateAndTime(a.From)} → {FrenchTime.DateAndTime(a.To)}",
                N(a.Count), string.Join(", ", a.Pseudonyms),
            }));

    });

    public static string Period(ControlReportContent c) => c.Period.ToDate
        ? $"Période : du 1er janvier {c.Period.Year} au {FrenchTime.DateAndTime(c.Period.To)} — année en cours, chiffres à date, provisoires."
        : $"Période : année civile {c.Period.Year} (du 1er janvier au 31 décembre, heure de Paris).";

    public static string Ledger(LedgerCheck l) => !l.Configured
        ? "Aucun registre des effacements hors base n'est configuré sur ce service : une base restaurée depuis une sauvegarde antérieure " +
          "ne pourrait pas être effacée à nouveau (voir la documentation d'exploitation)."
        : (l.Intact ? "Registre intègre" : "Registre altéré : à vérifier (commande erasure-ledger verify)") +
          $" ; {N(l.ListedInPeriod)} effacement(s) de la période y figurent" +
          (l.MissingFromLedger.Count == 0 ? "." : $" ; absents du registre : {string.Join(", ", l.MissingFromLedger)}.");

    private static string N(long n) => n.ToString("N0", FrenchTime.Culture);
}
