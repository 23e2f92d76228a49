using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.CharterInForce;
using CaseExchange.Councils.Groups;
using CaseExchange.Councils.Members;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Situations;
using CaseExchange.Seances.Agenda;
using CaseExchange.Situations.Referral;
using Marten;
using Npgsql;

namespace CaseExchange.Demo;

/// <summary>
/// Outside Production, when Demo:Seed is true: a fictitious council "demo" created on the first start, with
/// members of every role, groups, a séance and a few situations, so that each journey can be tried at once.
/// Every name here is invented. The situations are referred through the referral use case, as a member would; what has
/// no use case yet (the council's members, groups and séances, the ODJ) is appended as the events those acts record.
/// </summary>
public sealed class DemoCouncil(IDocumentStore store, NpgsqlDataSource dataSource, CharterPolicy policy, SituationKeys keys,
    Pseudonyms pseudonyms, IdentityIndex index, TimeProvider clock, IHostEnvironment environment, ILogger<DemoCouncil> logger) : IHostedService
{
    public const string Code = "demo";

    public static readonly IReadOnlyList<DemoMember> Members =
    [
        new("coordo.demo", "Claire Coordo", "Mairie — direction de la prévention", "Coordonnatrice du CLSPD", [Roles.Coordonnateur], Signed: true),
        new("animatrice.fontbarlettes", "Amina Animatrice", "Police municipale", "Cheffe de poste", [], Signed: true),
        new("membre.education", "Étienne Enseignant", "Éducation nationale", "Conseiller principal d'éducation", [], Signed: true),
        new("membre.bailleur", "Bérénice Bailleur", "Bailleur social", "Chargée de gestion locative", [], Signed: true),
        new("referent.prevention", "Rémi Référent", "Prévention spécialisée", "Éducateur", [], Signed: true),
        new("membre.sanssignature", "Sacha Sans-Signature", "CCAS", "Travailleur social", [], Signed: false),
        new("auditeur.dpo", "Denise Délégation", "Mairie — délégué à la protection des données", "DPO", [Roles.Auditeur], Signed: false),
        new("president.maire", "Maurice Maire", "Mairie", "Maire, président du CLSPD", [Roles.President], Signed: false),
        // The council is intercommunal: the maire of its second commune reads that commune's statistics only.
        new("maire.bourg", "Blanche Édile", "Mairie de Bourg-lès-Valence", "Maire de Bourg-lès-Valence", [], Signed: false, MaireOf: Bourg),
    ];

    /// <summary>The council's two communes: every sector names its own.</summary>
    public const string Valence = "Valence";

    public const string Bourg = "Bourg-lès-Valence";

    /// <summary>The sector of the second commune, where a third of the year's situations are referred.</summary>
    public const string BourgSector = "bourg-centre";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsProduction())
            throw new InvalidOperationException("Demo:Seed is true in Production: the demo council is never seeded in Production.");
        await using (var probe = store.QuerySession(Code))
        {
            if (await probe.LoadAsync<Council>(Council.StreamId, cancellationToken) is not null) return;
        }
        try
        {
            await SeedAsync(cancellationToken);
        }
        catch (Exception e) when (ConcurrencyFailures.IsConcurrencyFailure(e))
        {
            // Nodes started together on an empty database: another one committed the whole council first; ours rolled back.
            logger.LogInformation("Demo council '{Council}' seeded by another node", Code);
            return;
        }
        logger.LogInformation("Demo council '{Council}' seeded; sign in as coordo.demo, membre.education, referent.prevention, auditeur.dpo or maire.bourg", Code);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One transaction: a crash or a failure part-way leaves nothing, and the next start seeds it whole. The session
    /// flushes into it without committing, so that the use cases find the council, members and groups staged before.
    /// </summary>
    private async Task SeedAsync(CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var options = Marten.Services.SessionOptions.ForTransaction(transaction);
        options.TenantId = Code;
        Sector[] sectors =
        [
            new("fontbarlettes", "Fontbarlettes", Valence), new("le-plan", "Le Plan", Valence), new("polygone", "Le Polygone / Chamberlière", Valence),
            new("centre-ville", "Centre-Ville", Valence), new("briffaut", "Briffaut", Valence), new("sud", "Quartiers sud", Valence),
            new(BourgSector, "Bourg-lès-Valence — centre", Bourg),
        ];
        var coordinator = Members[0];
        await using var session = store.LightweightSession(options);
        var coordinatorId = CouncilBootstrap.Establish(session, policy, "CLSPD de démonstration", sectors,
            new FirstCoordinator(coordinator.Subject, coordinator.DisplayName, coordinator.Organisation, coordinator.Function), now);

        // The council's own events go through the rules of their use cases (Check, then Decide), folded here as they are
        // staged: the whole council is committed in one transaction.
        var council = new Council();
        council.Apply(new CouncilEstablished(Code, "CLSPD de démonstration", sectors, now));
        council.Apply(new CharterVersionAdopted(policy.Version, policy.Fingerprint, null, now));
        var ids = new Dictionary<string, Guid> { [coordinator.Subject] = coordinatorId };
        var members = new Dictionary<string, Member> { [coordinator.Subject] = Folded(new MemberRegistered(coordinatorId, coordinator.Subject,
            coordinator.DisplayName, coordinator.Organisation, coordinator.Function, coordinator.CouncilRoles, null, now)) };
        foreach (var member in Members.Skip(1))
        {
            var command = new RegisterMember(member.Subject, member.DisplayName, member.Organisation, member.Function, member.CouncilRoles);
            RegisterMemberUseCase.Check(command, subjectTaken: members.ContainsKey(member.Subject)).ThrowIfAny();
            var registered = RegisterMemberUseCase.Decide(Guid.CreateVersion7(), command, coordinatorId, now);
            ids[member.Subject] = registered.MemberId;
            members[member.Subject] = Folded(registered);
            session.Events.StartStream<Member>(registered.MemberId, registered);
        }
        foreach (var member in Members.Where(m => m.Signed))
            session.Events.Append(ids[member.Subject], SignCharterUseCase.Decide(members[member.Subject], council, policy, policy.Version, now));
        // The maire of a commune, designated as the coordonnateur would (one per commune, never a group member).
        foreach (var member in Members.Where(m => m.MaireOf is not null))
        {
            DesignateMaireUseCase.Check(new DesignateMaire(member.MaireOf), council, policy).ThrowIfAny();
            session.Events.Append(ids[member.Subject],
                DesignateMaireUseCase.Decide(members[member.Subject], member.MaireOf!, communeHasAMaire: false, memberOfAGroup: false, coordinatorId, now));
        }
        // The partner directory: action owners and séance guests are chosen from it.
        foreach (var (organisation, role) in Partners)
        {
            var command = new RegisterPartner(organisation, role, null);
            RegisterPartnerUseCase.Check(command, council, policy).ThrowIfAny();
            var registered = RegisterPartnerUseCase.Decide(command, Guid.CreateVersion7(), coordinatorId, now);
            council.Apply(registered);
            session.Events.Append(Council.StreamId, registered);
        }

        Guid Group(string name, string kind, string? sector, params (string Subject, string Role)[] joining) =>
            CreateGroup(session, council, members, new CreateGroup(name, kind, sector), coordinatorId, now, joining);
        var decrochage = Group("GT Décrochage scolaire", GroupKinds.Thematique, null,
            ("referent.prevention", Roles.Animateur), ("membre.education", Roles.Membre));
        var fontbarlettes = Group("GT Fontbarlettes", GroupKinds.Territorial, "fontbarlettes",
            ("animatrice.fontbarlettes", Roles.Animateur), ("membre.education", Roles.Membre), ("membre.bailleur", Roles.Membre),
            ("referent.prevention", Roles.Membre), ("membre.sanssignature", Roles.Membre));
        Group("GT Violences intrafamiliales", GroupKinds.Thematique, null);
        Group("GT Centre-Ville", GroupKinds.Territorial, "centre-ville");

        // Today's séance can be conducted at once (attendance, examinations, closure, CR); next week's prepared.
        var today = new SeanceScheduled(Guid.CreateVersion7(), fontbarlettes, now, ids["animatrice.fontbarlettes"], now);
        var nextWeek = new SeanceScheduled(Guid.CreateVersion7(), fontbarlettes, now.AddDays(7), ids["animatrice.fontbarlettes"], now);
        session.Events.StartStream<Seance>(today.SeanceId, today);
        session.Events.StartStream<Seance>(nextWeek.SeanceId, nextWeek);
        await session.SaveChangesAsync(cancellation);

        // Referred by a member of both groups, through the use case: checked, sealed and indexed as any referral.
        var request = await CouncilRequest.ResolveAsync(session, "membre.education", policy, clock, cancellation);
        foreach (var (group, referral) in Situations(decrochage, fontbarlettes))
        {
            var referred = await ReferSituationUseCase.HandleAsync(request, referral with { GroupId = group }, keys, pseudonyms, index);
            if (group != fontbarlettes) continue;
            // The territorial group's situations are on today's ODJ.
            await session.SaveChangesAsync(cancellation);
            var situation = await session.Events.FetchForWriting<Situation>(referred.SituationId, cancellation);
            var seance = await session.LoadAsync<Seance>(today.SeanceId, cancellation);
            situation.AppendOne(PlaceOnAgendaUseCase.Decide(situation.Aggregate!, seance!, ids["animatrice.fontbarlettes"], now));
        }
        await session.SaveChangesAsync(cancellation);

        // A year of activity behind it, for the président's statistics.
        await DemoYear.SeedAsync(session, policy, keys, pseudonyms, index, decrochage, fontbarlettes, ids["animatrice.fontbarlettes"], now, cancellation);
        await transaction.CommitAsync(cancellation);
    }

    private static readonly (string Organisation, string Role)[] Partners =
    [
        ("CCAS", "travailleur-social"), ("Prévention spécialisée", "educateur-prevention"), ("Éducation nationale", "cpe"),
        ("Bailleur social", "charge-mission-bailleur"), ("Police municipale", "policier-municipal"),
        ("Association d'aide aux victimes", "juriste-aide-victimes"), ("Mission locale", "conseiller-insertion"),
        ("Association de quartier", "mediateur"),
    ];

    private static Member Folded(MemberRegistered registered)
    {
        var member = new Member();
        member.Apply(registered);
        return member;
    }

    /// <summary>A group and its first members, through the checks and decisions of the group use cases.</summary>
    private static Guid CreateGroup(IDocumentSession session, Council council, IReadOnlyDictionary<string, Member> members, CreateGroup command,
        Guid by, DateTimeOffset at, params (string Subject, string Role)[] joining)
    {
        CreateGroupUseCase.Check(command, council, nameTaken: false).ThrowIfAny();
        var created = CreateGroupUseCase.Decide(Guid.CreateVersion7(), command, by, at);
        var group = new Group();
        group.Apply(created);
        var events = new List<object> { created };
        foreach (var (subject, role) in joining)
        {
            var add = new AddGroupMember(members[subject].Id, role);
            ChangeMembershipUseCase.Check(add, members[subject]).ThrowIfAny();
            var joined = ChangeMembershipUseCase.DecideAdd(group, add, by, at);
            group.Apply(joined);
            events.Add(joined);
        }
        session.Events.StartStream<Group>(created.GroupId, [.. events]);
        return created.GroupId;
    }

    private static IEnumerable<(Guid Group, ReferSituation Referral)> Situations(Guid decrochage, Guid fontbarlettes)
    {
        yield return (decrochage, new ReferSituation(decrochage, ["decrochage-scolaire"], "le-plan", "prioritaire",
            [new PersonInClear(PersonRoles.Followed, "Fictif", "Lucas", "M", new DateOnly(2011, 4, 2), "12 rue Imaginaire", null, null, "Collège, 4e", "Mère : Mme Fictif"),
             new PersonInClear("representant-legal", "Fictif", "Nadia", "F", new DateOnly(1984, 9, 17), "12 rue Imaginaire", "06 00 00 00 01", null, null, null)],
            "Absences répétées depuis la rentrée (exemple fictif)."));
        yield return (fontbarlettes, new ReferSituation(fontbarlettes, ["errance", "conduites-addictives"], "fontbarlettes", "normale",
            [new PersonInClear(PersonRoles.Followed, "Exemple", "Yanis", "M", new DateOnly(2007, 1, 23), null, null, null, "Sans emploi", null)],
            "Présence prolongée sur l'espace public en soirée (exemple fictif)."));
        yield return (fontbarlettes, new ReferSituation(fontbarlettes, ["troubles-voisinage"], "fontbarlettes", "normale",
            [new PersonInClear(PersonRoles.Followed, "Démonstration", "Inès", "F", new DateOnly(2009, 6, 30), "3 allée Fictive", null, null, "Lycée professionnel", "Père : M. Démonstration")],
            "Conflits de voisinage signalés par le bailleur (exemple fictif)."));
    }
}

/// <summary>A member of the demo council; <paramref name="MaireOf"/>: the commune he is designated maire of, if any.</summary>
public sealed record DemoMember(string Subject, string DisplayName, string Organisation, string Function, IReadOnlyList<string> CouncilRoles, bool Signed,
    string? MaireOf = null);
