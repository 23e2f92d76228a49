using System.Globalization;
using CaseExchange.Charter;
using CaseExchange.Councils;

namespace CaseExchange.Web;

/// <summary>French wording of codes, dates and times on the pages. Times are shown in the council's time zone.</summary>
public static class Display
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static readonly TimeZoneInfo Paris = FindParis();

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Paris).DateTime);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", French);

    public static string Date(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris).ToString("d MMMM yyyy", French);

    public static string DateTime(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Paris).ToString("d MMMM yyyy 'à' HH'h'mm", French);

    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris).DateTime);

    /// <summary>The instant of a day and a time typed in a form, read in the council's time zone.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Paris.GetUtcOffset(local));
    }

    /// <summary>ISO date for the machine-readable datetime attribute of &lt;time&gt;.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string RoleLabel(CharterPolicy policy, string role) =>
        policy.Roles.TryGetValue(role, out var r) ? r.Label : role;

    /// <summary>The instance kind's label in the charter (« Groupe thématique », « Cellule de veille »…).</summary>
    public static string GroupKind(CharterPolicy policy, string kind) => policy.KindOf(kind).Label;

    public static string Sector(Council council, string? code) =>
        code is null ? "—" : council.Sectors.FirstOrDefault(s => s.Code == code)?.Label ?? code;

    public static string AgeBand(CharterPolicy policy, string code) =>
        policy.AgeBands.FirstOrDefault(b => b.Code == code)?.Label ?? code;

    public static string Sex(string? code) => code switch
    {
        "F" => "Féminin",
        "M" => "Masculin",
        "X" => "Autre ou non précisé",
        _ => "Non renseigné",
    };

    /// <summary>Kinds of the steps of a situation's history (<c>FileEntry.Kind</c>).</summary>
    public static string HistoryKind(string kind) => kind switch
    {
        "signalement" => "Signalement",
        "inscription-odj" => "Inscription à l'ordre du jour",
        "examen" => "Examen en séance",
        "suivi-confie" => "Suivi confié",
        "suivi" => "Point de suivi",
        "transfert" => "Transfert",
        "import" => "Import du tableur",
        "cloture" => "Clôture",
        "correction-identite" => "Rectification d'identité",
        "personne-ajoutee" => "Personne concernée ajoutée",
        "fait-ajoute" => "Fait ajouté",
        "information" => "Information de la personne",
        "information-differee" => "Information différée",
        _ => kind,
    };

    /// <summary>States of a situation on a séance's ODJ (<c>AgendaItem.State</c>).</summary>
    public static string AgendaState(string state) => state switch
    {
        Seances.Agenda.AgendaItemStates.AExaminer => "À examiner",
        Seances.Agenda.AgendaItemStates.Examinee => "Examinée",
        Seances.Agenda.AgendaItemStates.Reportee => "Reportée",
        _ => state,
    };

    /// <summary>An action is overdue when still in progress after its due date.</summary>
    public static bool IsOverdue(DateOnly dueOn, string status, DateOnly today) => status == "en-cours" && dueOn < today;
}
