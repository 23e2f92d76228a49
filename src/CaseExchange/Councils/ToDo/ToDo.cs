using CaseExchange.Charter;
using CaseExchange.Retention.RightOfAccess.Requests;
using CaseExchange.Seances;
using CaseExchange.Situations;
using Marten;

namespace CaseExchange.Councils.ToDo;

/// <summary>What a line of the list is about, and where it is settled (a page of the council, relative to <c>/c/{council}/</c>).</summary>
public static class ToDoKinds
{
    public const string NextSeance = "seance-a-venir";
    public const string NotExamined = "non-examinee";
    public const string OverdueAction = "action-en-retard";
    public const string AgendaNotPublished = "odj-non-publie";
    public const string NoCompteRendu = "sans-compte-rendu";
    public const string Inactive = "inactive";
    public const string ErasureDue = "effacement-proche";
    public const string CharterNotSigned = "charte-non-signee";
    public const string PendingNotice = "information-a-faire";
    public const string AccessRequest = "droit-acces";
}

/// <summary>One thing to do. <c>Subject</c> is a pseudonym, a séance's group and date, or a member's name; never a person concerned.</summary>
public sealed record ToDoLine(string Kind, string Subject, string Detail, string Link, DateTimeOffset? When = null);

/// <summary>The "à faire" of a coordonnateur (every group) or an animateur (their groups): lists by kind, in the order they are shown.</summary>
public sealed record ToDoList(IReadOnlyList<string> GroupNames, bool WholeCouncil, IReadOnlyDictionary<string, IReadOnlyList<ToDoLine>> Lines)
{
    public IReadOnlyList<ToDoLine> Of(string kind) => Lines.TryGetValue(kind, out var lines) ? lines : [];
    public int Total => Lines.Values.Sum(l => l.Count);
}

/// <summary>What the dashboard reads: the projections (groups, séances, situations, members), no event and no sealed value.</summary>
public sealed record ToDoInputs(
    IReadOnlyList<Group> Groups, IReadOnlyList<Seance> Seances, IReadOnlyList<Situation> Situations, IReadOnlyList<Member> Members,
    string? CharterVersionInForce, IReadOnlyList<AccessRequest>? AccessRequests = null);

/// <summary>
/// The coordonnateur's dashboard: next séances (today first), situations not yet examined, overdue actions, séances
/// without a published ODJ or without a CR, situations inactive for a year (to close), erasures due within 30 days, and
/// members who have not signed the charter in force, and right-of-access requests with their deadline. A few queries, then a pure function.
/// </summary>
public static class ToDoUseCase
{
    public static readonly TimeSpan InactiveAfter = TimeSpan.FromDays(365);
    public const int ErasureWarningDays = 30;
    public const int NextSeancesShown = 10;

    public static async Task<ToDoList> HandleAsync(CouncilRequest request)
    {
        var (session, policy, actor, cancellation) = (request.Session, request.Policy, request.Actor, request.Cancellation);
        var wholeCouncil = AccessRules.CouncilCapability(policy, actor.Member, Capabilities.PrepareSeances).Allowed;
        var allGroups = await session.Query<Group>().ToListAsync(cancellation);
        var groups = wholeCouncil
            ? allGroups
            : [.. allGroups.Where(g => g.RoleOf(actor.Id) is { } role && policy.RoleHas(role, Capabilities.PrepareSeances))];
        if (groups.Count == 0 && !wholeCouncil) actor.Require(AccessVerdict.Refused(Refusals.RoleNotAllowed));
        // An animateur reads the pseudonyms of their groups under the same rule as the anonymised list.
        actor.Require(AccessRules.ReadAnonymised(policy, actor.Member, actor.Council, groups.Count > 0));

        var ids = groups.Select(g => g.Id).ToArray();
        var seances = await session.Query<Seance>().Where(s => ids.Contains(s.GroupId)).ToListAsync(cancellation);
        var situations = await session.Query<Situation>().Where(s => ids.Contains(s.GroupId) && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        var memberIds = groups.SelectMany(g => g.Members.Keys).ToHashSet();
        var members = wholeCouncil
            ? await session.Query<Member>().Where(m => m.Active).ToListAsync(cancellation)
            : await session.Query<Member>().Where(m => m.Active && memberIds.Contains(m.Id)).ToListAsync(cancellation);
        // Right-of-access requests: the coordonnateur's, who answers them (dates and codes only, no identity).
        IReadOnlyList<AccessRequest> accessRequests = AccessRules.AnswerAccessRequest(policy, actor.Member, actor.Council).Allowed
            ? [.. await session.Query<AccessRequest>().Where(r => r.AnsweredAt == null).ToListAsync(cancellation)]
            : [];
        return Build(new ToDoInputs(groups, [.. seances], [.. situations], [.. members], actor.Council.CharterVersionInForce, accessRequests),
            wholeCouncil, request.Clock.GetUtcNow(), policy);
    }

    /// <summary>Pure: the lines, from the projections at <paramref name="now"/>.</summary>
    public static ToDoList Build(ToDoInputs inputs, bool wholeCouncil, DateTimeOffset now, CharterPolicy policy)
    {
        var groupNames = inputs.Groups.ToDictionary(g => g.Id, g => g.Name);
        string GroupOf(Guid id) => groupNames.GetValueOrDefault(id) ?? "groupe";
        var today = DateOnly.FromDateTime(FrenchTime.Local(now).DateTime);
        var startOfToday = FrenchTime.StartOf(today);
        var open = inputs.Situations.Where(s => !s.IsClosed).ToList();
        var lines = new Dictionary<string, IReadOnlyList<ToDoLine>>();

        lines[ToDoKinds.NextSeance] = [.. inputs.Seances.Where(s => !s.IsClosed && s.Date >= startOfToday).OrderBy(s => s.Date).Take(NextSeancesShown)
            .Select(s => new ToDoLine(ToDoKinds.NextSeance, GroupOf(s.GroupId),
                (DateOnly.FromDateTime(FrenchTime.Local(s.Date).DateTime) == today ? "aujourd'hui, " : "") + FrenchTime.DateAndTime(s.Date)
                + (s.AgendaPublishedAt is null ? " — ordre du jour à publier" : ""),
                $"seances/{s.Id}", s.Date))];

        lines[ToDoKinds.NotExamined] = [.. open.Where(s => s.FirstExaminedAt is null).OrderBy(s => s.ReferredAt)
            .Select(s => new ToDoLine(ToDoKinds.NotExamined, s.Pseudonym,
                $"{GroupOf(s.GroupId)} — signalée le {FrenchTime.Day(s.ReferredAt)}"
                + (s.Agenda.FirstOrDefault(a => a.Pending) is { } pending ? $", inscrite à la séance du {FrenchTime.Day(pending.SeanceDate)}" : ", à inscrire à l'ordre du jour"),
                $"situations/{s.Id}", s.ReferredAt))];

        lines[ToDoKinds.OverdueAction] = [.. open.SelectMany(s => s.Actions.Where(a => a.Status == "en-cours" && a.DueOn < today).Select(a => (s, a)))
            .OrderBy(x => x.a.DueOn)
            .Select(x => new ToDoLine(ToDoKinds.OverdueAction, x.s.Pseudonym,
                $"{policy.ActionKinds.LabelOf(x.a.Kind)} ({x.a.OwnerOrganisation}) — échéance du {FrenchTime.Day(x.a.DueOn)} dépassée",
                $"situations/{x.s.Id}", FrenchTime.StartOf(x.a.DueOn)))];

        lines[ToDoKinds.AgendaNotPublished] = [.. inputs.Seances.Where(s => !s.IsClosed && s.AgendaPublishedAt is null).OrderBy(s => s.Date)
            .Select(s => new ToDoLine(ToDoKinds.AgendaNotPublished, GroupOf(s.GroupId), $"séance du {FrenchTime.DateAndTime(s.Date)}", $"seances/{s.Id}", s.Date))];

        lines[ToDoKinds.NoCompteRendu] = [.. inputs.Seances.Where(s => s.IsClosed && !s.CompteRendus.Any(c => !c.Withdrawn)).OrderBy(s => s.Date)
            .Select(s => new ToDoLine(ToDoKinds.NoCompteRendu, GroupOf(s.GroupId), $"séance du {FrenchTime.Day(s.Date)}, close sans compte rendu",
                $"seances/{s.Id}/compte-rendu", s.Date))];

        lines[ToDoKinds.Inactive] = [.. open.Select(s => (s, last: LastActivity(s))).Where(x => now - x.last >= InactiveAfter).OrderBy(x => x.last)
            .Select(x => new ToDoLine(ToDoKinds.Inactive, x.s.Pseudonym,
                $"{GroupOf(x.s.GroupId)} — aucune activité depuis le {FrenchTime.Day(x.last)} : proposer la clôture", $"situations/{x.s.Id}", x.last))];

        lines[ToDoKinds.ErasureDue] = [.. inputs.Situations.Where(s => s.ClosedAt is not null && !s.IsErased)
            .Select(s => (s, due: Retention.RetentionDates.ArchiveEnds(s.ClosedAt!.Value, policy.Retention)))
            .Where(x => x.due <= now.AddDays(ErasureWarningDays)).OrderBy(x => x.due)
            .Select(x => new ToDoLine(ToDoKinds.ErasureDue, x.s.Pseudonym,
                $"{GroupOf(x.s.GroupId)} — effacement des données nominatives le {FrenchTime.Day(x.due)} (fin de l'archive)", $"situations/{x.s.Id}", x.due))];

        // Charte, article 21: persons concerned neither informed nor deferred, and deferrals whose review date has come. By role only.
        lines[ToDoKinds.PendingNotice] = [.. open.Select(s => (s, pending: s.Notices.Where(n => n.PendingOn(today)).ToList()))
            .Where(x => x.pending.Count > 0).OrderBy(x => x.s.ReferredAt)
            .Select(x => new ToDoLine(ToDoKinds.PendingNotice, x.s.Pseudonym,
                $"{GroupOf(x.s.GroupId)} — " + string.Join(", ", x.pending.Select(n =>
                    policy.PersonRoles.LabelOf(n.Role).ToLowerInvariant()
                    + (n.DeferredUntil is { } until ? $" (report à réexaminer depuis le {FrenchTime.Day(until)})" : " à informer"))),
                $"situations/{x.s.Id}/information", x.s.ReferredAt))];

        // RGPD art. 12.3: one month from receipt (three when extended); overdue first, then by due day, in the council's days.
        lines[ToDoKinds.AccessRequest] = [.. (inputs.AccessRequests ?? []).Where(r => !r.Answered)
            .Select(r => (r, left: AccessRequestDeadlines.DaysLeft(r.DueOn, today))).OrderBy(x => x.left).ThenBy(x => x.r.ReceivedOn)
            .Select(x => new ToDoLine(ToDoKinds.AccessRequest, x.r.Reference,
                $"reçue le {FrenchTime.Day(x.r.ReceivedOn)}, réponse due le {FrenchTime.Day(x.r.DueOn)}{(x.r.Extended ? " (délai prolongé)" : "")} : "
                + AccessRequestDeadlines.DaysLeftText(x.left),
                $"droit-acces/demandes/{x.r.Id}", FrenchTime.StartOf(x.r.DueOn)))];

        lines[ToDoKinds.CharterNotSigned] = inputs.CharterVersionInForce is not { } version ? [] :
            [.. inputs.Members.Where(m => m.Active && !m.HasSigned(version)).OrderBy(m => m.DisplayName)
                .Select(m => new ToDoLine(ToDoKinds.CharterNotSigned, $"{m.DisplayName} ({m.Organisation})",
                    $"n'a pas signé la charte en vigueur ({version})" +
                    (ReadCouncilUseCase.CharterGatesAnAccess(policy, m.CouncilRoles, inputs.Groups.Any(g => g.HasMember(m.Id)))
                        ? ", aucun accès nominatif possible d'ici là"
                        : " ; son rôle ne lui donne aucun accès nominatif"),
                    wholeCouncil ? "membres" : "charte"))];

        return new ToDoList([.. inputs.Groups.Select(g => g.Name).Order()], wholeCouncil, lines);
    }

    /// <summary>The last dated step the projection knows: referral, agenda, examination, follow-up assigned.</summary>
    public static DateTimeOffset LastActivity(Situation s) => new[] { s.ReferredAt }
        .Concat(s.Agenda.Select(a => a.SeanceDate))
        .Concat(s.LastExaminedAt is { } x ? [x] : [])
        .Concat(s.Actions.Select(a => a.AssignedAt).OfType<DateTimeOffset>())
        .Max();
}
