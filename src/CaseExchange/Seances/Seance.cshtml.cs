using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Protection;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.Attendance;
using CaseExchange.Seances.Closure;
using CaseExchange.Seances.Viewing;
using CaseExchange.Situations.Viewing;
using Marten;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Seances;

/// <summary>A guest of the general part: a partner of the council's directory (an organisation and a role, never a private name).</summary>
public sealed class GuestForm
{
    public Guid? PartnerId { get; set; }

    public bool IsEmpty => PartnerId is null;
}

public sealed class AttendanceForm
{
    public const string Nominative = "nominative";
    public const string General = "generale";
    public const string Absent = "absent";

    /// <summary>Each listed member's presence: at the nominative part, at the general part only, or absent.</summary>
    public Dictionary<Guid, string> Presence { get; set; } = [];
    public List<GuestForm> Guests { get; set; } = [];
    public long? ExpectedVersion { get; set; }
}

/// <summary>Someone the coordonnateur may record as present: the group's members, and themselves.</summary>
public sealed record AttendanceCandidate(Guid MemberId, string DisplayName, string Organisation, string Function, string? GroupRole, bool CharterSigned);

/// <summary>
/// One séance, as those who prepare it work on it: the ODJ (anonymised), the group's situations that can be placed on it,
/// the ODJ's publication, attendance, the examination of each situation (own page) and the closure. Every action is a
/// use case of the API, called with the page's session.
/// </summary>
public sealed class SeanceModel : CouncilPageModel
{
    /// <summary>The partner directory, to choose guests from.</summary>
    public IReadOnlyList<PartnerView> Partners => PartnerDirectory.View(Actor.Council, Policy).Partners;

    public const int GuestBlocks = 2;

    [BindProperty] public AttendanceForm Attendance { get; set; } = new();

    public SeanceView Seance { get; private set; } = null!;
    public IReadOnlyList<AttendanceCandidate> Candidates { get; private set; } = [];

    /// <summary>The group's open situations that are not waiting on any ODJ and were never on this one.</summary>
    public IReadOnlyList<AnonymisedSituation> Placeable { get; private set; } = [];

    public bool Open => !Seance.Closed;
    public bool Held => Display.Day(Seance.Date) <= Today;
    public string Heading => $"Séance du {Display.DateTime(Seance.Date)}";

    public async Task OnGetAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        PrefillAttendance();
    }

    public Task<IActionResult> OnPostInscrireAsync(Guid seanceId, Guid situationId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await PlaceOnAgendaUseCase.HandleAsync(CouncilRequest, situationId, new PlaceOnAgenda(seanceId, expectedVersion));
        },
        placed => Done(seanceId, $"La situation {placed.Pseudonym} est inscrite à l'ordre du jour.", "odj"),
        () => ReloadAsync(seanceId), prefix: "");

    public Task<IActionResult> OnPostPublierAsync(Guid seanceId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await PublishAgendaUseCase.HandleAsync(CouncilRequest, seanceId, new PublishAgenda(expectedVersion));
        },
        published => Done(seanceId,
            $"L'ordre du jour est publié ({published.SituationIds.Count} situation{(published.SituationIds.Count > 1 ? "s" : "")}) : il est celui de la convocation.", "odj"),
        () => ReloadAsync(seanceId), prefix: "");

    public async Task<IActionResult> OnPostPresenceAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        var nominative = Attendance.Presence.Where(p => p.Value == AttendanceForm.Nominative).Select(p => p.Key).ToList();
        var general = Attendance.Presence.Where(p => p.Value == AttendanceForm.General).Select(p => p.Key).ToList();
        var guests = Attendance.Guests.Select((guest, block) => (guest, block)).Where(g => !g.guest.IsEmpty).ToList();
        var command = new RecordAttendance(nominative, general, [.. guests.Select(g => new GuestInput(g.guest.PartnerId))],
            Attendance.ExpectedVersion);
        return await SubmitAsync(
            () => RecordAttendanceUseCase.HandleAsync(CouncilRequest, seanceId, command),
            recorded => Done(seanceId,
                $"Présence enregistrée : {recorded.NominativePart} à la partie nominative, {recorded.GeneralPartOnly} à la partie générale seulement, " +
                $"{recorded.Guests} invité{(recorded.Guests > 1 ? "s" : "")}.", "presence"),
            () => Task.CompletedTask, prefix: "Attendance",
            mapField: field => MapAttendanceField(field, nominative, general, [.. guests.Select(g => g.block)]));
    }

    public Task<IActionResult> OnPostClotureAsync(Guid seanceId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await CloseSeanceUseCase.HandleAsync(CouncilRequest, seanceId, new CloseSeance(expectedVersion));
        },
        closed => Done(seanceId, "La séance est close." + (closed.Postponed.Count == 0
            ? " Vous pouvez établir son compte rendu."
            : $" Situations non examinées, reportées : {string.Join(", ", closed.Postponed)}. Vous pouvez établir son compte rendu."), null),
        () => ReloadAsync(seanceId), prefix: "");

    public string PresenceOf(Guid memberId) => Attendance.Presence.GetValueOrDefault(memberId) ?? AttendanceForm.Absent;

    private IActionResult Done(Guid seanceId, string notice, string? section)
    {
        Tell(notice);
        return Redirect(Href($"seances/{seanceId}") + (section is null ? "" : $"#{section}"));
    }

    private async Task ReloadAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        PrefillAttendance();
    }

    private void PrefillAttendance()
    {
        Attendance.ExpectedVersion = Seance.Version;
        if (Seance.Attendance is { } recorded)
        {
            foreach (var a in recorded.NominativePart) Attendance.Presence[a.MemberId] = AttendanceForm.Nominative;
            foreach (var a in recorded.GeneralPartOnly) Attendance.Presence[a.MemberId] = AttendanceForm.General;
            // Guests were copied from the directory: find their partner again (one no longer listed is left out).
            var partners = Partners;
            Attendance.Guests = [.. recorded.Guests
                .Select(g => partners.FirstOrDefault(p => p.Organisation == g.Organisation && p.RoleLabel == g.Function))
                .Where(p => p is not null).Select(p => new GuestForm { PartnerId = p!.PartnerId })];
        }
        while (Attendance.Guests.Count < (Seance.Attendance?.Guests.Count ?? 0) + GuestBlocks) Attendance.Guests.Add(new GuestForm());
    }

    /// <summary>The use case numbers the members of each part and the guests it was sent; errors go back to the row they came from.</summary>
    private static string MapAttendanceField(string field, IReadOnlyList<Guid> nominative, IReadOnlyList<Guid> general, IReadOnlyList<int> guestBlocks)
    {
        static (string Name, int Index, string Tail)? Indexed(string field)
        {
            var open = field.IndexOf('[');
            var close = field.IndexOf(']');
            return open > 0 && close > open && int.TryParse(field.AsSpan(open + 1, close - open - 1), out var index)
                ? (field[..open], index, field[(close + 1)..])
                : null;
        }
        return Indexed(field) switch
        {
            ("nominativePart", var i, _) when i < nominative.Count => $"presence[{nominative[i]}]",
            ("generalPartOnly", var i, _) when i < general.Count => $"presence[{general[i]}]",
            ("guests", var i, var rest) when i < guestBlocks.Count => $"guests[{guestBlocks[i]}]{rest}",
            _ => field is "nominativePart" or "generalPartOnly" ? "presence" : field,
        };
    }

    private async Task LoadAsync(Guid seanceId)
    {
        Seance = await ViewSeanceUseCase.HandleAsync(CouncilRequest, seanceId);
        var group = await Session.LoadAsync<Group>(Seance.GroupId);
        // The same rule as the séance's use cases: the page is not shown to anyone who could not act on it.
        Actor.Require(AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.PrepareSeances));

        var recorded = Seance.Attendance is { } a ? a.NominativePart.Concat(a.GeneralPartOnly).Select(x => x.MemberId) : [];
        var ids = group!.Members.Keys.Append(Actor.Id).Concat(recorded).Distinct().ToList();
        var members = await Session.LoadManyAsync<Member>(ids);
        var version = Actor.Council.CharterVersionInForce;
        Candidates = [.. members
            .Select(m => new AttendanceCandidate(m.Id, m.DisplayName, m.Organisation, m.Function, group.RoleOf(m.Id), m.HasSigned(version)))
            .OrderBy(c => c.GroupRole is null).ThenBy(c => c.DisplayName, StringComparer.CurrentCulture)];

        var open = await ListSituationsUseCase.HandleAsync(CouncilRequest, new SituationFilter(Seance.GroupId, "ouvertes", Page: 1, PageSize: 200));
        Placeable = [.. open.Items
            .Where(s => !s.NominativeDataErased && !s.Agenda.Any(x => x.Pending || x.SeanceId == seanceId))
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal)];
    }
}
