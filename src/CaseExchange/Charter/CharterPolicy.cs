using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseExchange.Charter;

/// <summary>
/// The machine-readable half of the charter (<c>charter/policy.json</c>): which fields are nominative, the
/// closed lists users pick from, retention periods, the statistics threshold and which role may do what.
/// Loaded once at start-up and validated; the service refuses to start on a policy that breaks the charter's
/// own rules (e.g. nominative access for the président).
/// </summary>
public sealed class CharterPolicy
{
    public required string Version { get; init; }
    public required string Title { get; init; }
    public required CharterTexts Texts { get; init; }
    public required IReadOnlyList<IdentityField> IdentityFields { get; init; }
    public bool FreeTextIsNominative { get; init; }
    public required IReadOnlyList<ListEntry> PersonRoles { get; init; }
    public required IReadOnlyList<ListEntry> ReferralReasons { get; init; }
    public required IReadOnlyList<ListEntry> Urgencies { get; init; }
    public required IReadOnlyList<ListEntry> AccessPurposes { get; init; }
    public required IReadOnlyList<ListEntry> ArchiveAccessReasons { get; init; }
    public required IReadOnlyList<ListEntry> ErasureOrderReasons { get; init; }

    /// <summary>Why the coordonnateur withdraws a CR version (its content is destroyed): a closed list, journalled.</summary>
    public required IReadOnlyList<ListEntry> CompteRenduWithdrawalReasons { get; init; }

    /// <summary>How a right-of-access request reached the council (RGPD art. 15): a closed list, never the requester.</summary>
    public IReadOnlyList<ListEntry> AccessRequestChannels { get; init; } = [];

    /// <summary>Why the answer to a right-of-access request is extended by two months (RGPD art. 12.3): a closed list.</summary>
    public IReadOnlyList<ListEntry> AccessRequestExtensionReasons { get; init; } = [];

    /// <summary>Why the coordonnateur suspends a member's accesses at once, as a precaution (charte: "suspension immédiate, à titre conservatoire").</summary>
    public IReadOnlyList<ListEntry> MemberSuspensionReasons { get; init; } = [];

    /// <summary>Why a suspension is lifted.</summary>
    public IReadOnlyList<ListEntry> MemberReinstatementReasons { get; init; } = [];
    public required IReadOnlyList<ListEntry> DecisionKinds { get; init; }
    public required IReadOnlyList<ListEntry> ActionKinds { get; init; }
    public required IReadOnlyList<ListEntry> ActionStatuses { get; init; }

    /// <summary>The roles a partner organisation of the directory holds (action owners, séance guests): a closed list, no person.</summary>
    public IReadOnlyList<ListEntry> PartnerRoles { get; init; } = [];
    public required IReadOnlyList<ListEntry> Outcomes { get; init; }

    /// <summary>The DPO's contact (a service address, never a person's), when the council gives one: named in the information letter.</summary>
    public string? DpoContact { get; init; }

    /// <summary>How a person concerned was informed (charte, article 21): a closed list.</summary>
    public IReadOnlyList<ListEntry> InformationMeans { get; init; } = [];

    /// <summary>Why the individual information is deferred (charte, article 21; RGPD art. 14 § 5 b): a closed list, no free text.</summary>
    public IReadOnlyList<ListEntry> InformationDeferralReasons { get; init; } = [];
    public required IReadOnlyList<AgeBand> AgeBands { get; init; }
    public required RetentionPolicy Retention { get; init; }
    public required StatisticsPolicy Statistics { get; init; }
    public required IReadOnlyDictionary<string, RolePolicy> Roles { get; init; }

    /// <summary>
    /// The kinds of instance a group may be (groupe thématique, territorial, cellule de veille, groupe opérationnel), each
    /// with its chair's title and its own rules. Absent from a policy: the two kinds of working group that every council has.
    /// </summary>
    public IReadOnlyList<InstanceKind> InstanceKinds { get; init; } = InstanceKind.Defaults;

    /// <summary>The kind of a group; a group recorded with a kind the policy no longer lists keeps the working group's rules.</summary>
    public InstanceKind KindOf(string? code) =>
        InstanceKinds.FirstOrDefault(k => k.Code == code) ?? InstanceKind.Defaults[0] with { Code = code ?? "", Label = code ?? "" };

    /// <summary>The charter's text (charte then règlement), as signed by members.</summary>
    [JsonIgnore] public string FullText { get; private set; } = "";

    /// <summary>The charte's text alone (Markdown), as shipped; empty for a council's own version (its texts are in its adoption).</summary>
    [JsonIgnore] public string CharteText { get; private set; } = "";

    /// <summary>The règlement intérieur's text alone (Markdown), as shipped.</summary>
    [JsonIgnore] public string ReglementText { get; private set; } = "";

    /// <summary>SHA-256 of the policy file and both texts: what a signature of this version covers.</summary>
    [JsonIgnore] public string Fingerprint { get; private set; } = "";

    public string AgeBandOf(DateOnly birthDate, DateOnly on)
    {
        var age = AgeOn(birthDate, on);
        return AgeBands.First(b => b.MaxAge is null || age <= b.MaxAge).Code;
    }

    public static int AgeOn(DateOnly birthDate, DateOnly on)
    {
        var age = on.Year - birthDate.Year;
        if (on < birthDate.AddYears(age)) age--;
        return age;
    }

    /// <summary>The deployment's policy this one narrows (itself for the deployment's).</summary>
    [JsonIgnore] public CharterPolicy Deployment => _deployment ?? this;

    private CharterPolicy? _deployment;
    private readonly ConcurrentDictionary<(string Council, string Fingerprint), CharterPolicy> _narrowed = new();

    /// <summary>
    /// The policy a council works under: the deployment's, narrowed by the council's own version in force if it adopted
    /// one. Built once per council and version, then shared.
    /// </summary>
    public CharterPolicy For(Councils.Council? council)
    {
        var deployment = Deployment;
        if (council?.CharterTerms is not { } terms || council.CharterVersionInForce is not { } version || council.CharterFingerprint is not { } fingerprint)
            return deployment;
        return deployment._narrowed.GetOrAdd((council.Code, fingerprint), _ => deployment.NarrowedBy(version, fingerprint, terms));
    }

    /// <summary>
    /// The deployment's policy narrowed by a council's terms: lists cut to the kept entries (as adopted), the council's
    /// threshold and retention. Checked like the deployment's own (<see cref="CharterPolicyValidation"/>).
    /// </summary>
    public CharterPolicy NarrowedBy(string version, string fingerprint, CharterTerms terms)
    {
        var d = Deployment;
        IReadOnlyList<ListEntry> Kept(string name, IReadOnlyList<ListEntry> all) =>
            terms.Lists.TryGetValue(name, out var kept) ? new NarrowedList(kept, all) : all;
        var narrowed = new CharterPolicy
        {
            Version = version, Title = d.Title, Texts = d.Texts, IdentityFields = d.IdentityFields, FreeTextIsNominative = d.FreeTextIsNominative,
            PersonRoles = Kept("personRoles", d.PersonRoles), ReferralReasons = Kept("referralReasons", d.ReferralReasons),
            Urgencies = Kept("urgencies", d.Urgencies), AccessPurposes = Kept("accessPurposes", d.AccessPurposes),
            ArchiveAccessReasons = Kept("archiveAccessReasons", d.ArchiveAccessReasons), ErasureOrderReasons = Kept("erasureOrderReasons", d.ErasureOrderReasons),
            CompteRenduWithdrawalReasons = Kept("compteRenduWithdrawalReasons", d.CompteRenduWithdrawalReasons),
            AccessRequestChannels = Kept("accessRequestChannels", d.AccessRequestChannels),
            AccessRequestExtensionReasons = Kept("accessRequestExtensionReasons", d.AccessRequestExtensionReasons),
            MemberSuspensionReasons = Kept("memberSuspensionReasons", d.MemberSuspensionReasons),
            MemberReinstatementReasons = Kept("memberReinstatementReasons", d.MemberReinstatementReasons),
            DecisionKinds = Kept("decisionKinds", d.DecisionKinds), ActionKinds = Kept("actionKinds", d.ActionKinds), ActionStatuses = d.ActionStatuses,
            PartnerRoles = Kept("partnerRoles", d.PartnerRoles), Outcomes = Kept("outcomes", d.Outcomes), DpoContact = d.DpoContact,
            InformationMeans = Kept("informationMeans", d.InformationMeans),
            InformationDeferralReasons = Kept("informationDeferralReasons", d.InformationDeferralReasons),
            AgeBands = d.AgeBands, InstanceKinds = d.InstanceKinds,
            // Within the deployment's bounds even if the deployment tightened them after the council's adoption.
            Retention = d.Retention with
            {
                InactiveArchiveYears = Math.Min(terms.InactiveArchiveYears, d.Retention.InactiveArchiveYears),
                AgeLimitYears = Math.Min(terms.AgeLimitYears, d.Retention.AgeLimitYears),
            },
            Statistics = new StatisticsPolicy(Math.Max(terms.StatisticsMinimumCount, d.Statistics.MinimumCount)),
            Roles = d.Roles,
            _deployment = d,
            Fingerprint = fingerprint,
        };
        CharterPolicyValidation.ThrowIfInvalid(narrowed);
        return narrowed;
    }

    public bool RoleHas(string role, string capability) =>
        Roles.TryGetValue(role, out var policy) && policy.Capabilities.Contains(capability);

    public static CharterPolicy Load(string directory)
    {
        var policyPath = Path.Combine(directory, "policy.json");
        if (!File.Exists(policyPath))
            throw new CharterPolicyException($"The charter policy was not found at {policyPath} (configure Charter:Directory).");

        var policyBytes = File.ReadAllBytes(policyPath);
        var policy = JsonSerializer.Deserialize<CharterPolicy>(policyBytes, JsonOptions)
                     ?? throw new CharterPolicyException("charter/policy.json is empty.");

        var texts = new[] { policy.Texts.Charte, policy.Texts.Reglement }
            .Select(name => Path.Combine(directory, name))
            .Select(path => File.Exists(path) ? File.ReadAllText(path) : throw new CharterPolicyException($"Charter text missing: {path}"))
            .ToArray();
        policy.FullText = string.Join("\n\n", texts);
        (policy.CharteText, policy.ReglementText) = (texts[0], texts[1]);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(policyBytes);
        foreach (var text in texts) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
        policy.Fingerprint = Convert.ToHexStringLower(sha.GetHashAndReset());

        CharterPolicyValidation.ThrowIfInvalid(policy);
        return policy;
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}

public sealed record CharterTexts(string Charte, string Reglement);

public sealed record IdentityField(string Code, string Label, bool Nominative, bool Required);

public sealed record ListEntry(string Code, string Label);

public sealed record AgeBand(string Code, string Label, int? MaxAge);

public sealed record RetentionPolicy(int InactiveArchiveYears, int AgeLimitYears, IReadOnlyList<string> AgeLimitAppliesToRoles);

public sealed record StatisticsPolicy(int MinimumCount);

/// <summary>
/// A kind of instance: its chair's title (the group role <c>animateur</c> holds it), whether it may hold nominative
/// situations (a non-nominative instance exchanges only general-part items), whether it names a sector (<c>none</c>,
/// <c>required</c>, <c>optional</c>) and the minimum notice, in days, of its séances.
/// </summary>
public sealed record InstanceKind(string Code, string Label, string Chair, bool Nominative, string Sector, int MinimumNoticeDays)
{
    public const string SectorNone = "none";
    public const string SectorRequired = "required";
    public const string SectorOptional = "optional";

    public static readonly IReadOnlyList<InstanceKind> Defaults =
    [
        new("thematique", "Groupe thématique", "Animateur ou animatrice", true, SectorNone, 0),
        new("territorial", "Groupe territorial", "Animateur ou animatrice", true, SectorRequired, 0),
    ];
}

public sealed record RolePolicy(string Scope, string Label, IReadOnlyList<string> Capabilities);

public sealed class CharterPolicyException(string message) : Exception(message);

public static class ListEntries
{
    public static bool Has(this IReadOnlyList<ListEntry> list, string? code) => code is not null && list.Any(e => e.Code == code);

    /// <summary>The entry's label, also for an entry the council's version dropped (what was recorded before keeps its wording).</summary>
    public static string LabelOf(this IReadOnlyList<ListEntry> list, string code) =>
        list.WithRetired().FirstOrDefault(e => e.Code == code)?.Label ?? code;
}
