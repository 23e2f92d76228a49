using CaseExchange.Charter;

namespace CaseExchange.Councils;

/// <summary>A sector of the council; in an intercommunal council (CISPD), the commune it lies in (none recorded: the council's own).</summary>
public sealed record Sector(string Code, string Label, string? Commune = null);

public sealed record CouncilEstablished(string Code, string Name, IReadOnlyList<Sector> Sectors, DateTimeOffset At);

public sealed record SectorAdded(Sector Sector, Guid AddedBy, DateTimeOffset At);

/// <summary>The coordonnateur set the commune a sector lies in (statistics per commune, the maire's figures).</summary>
public sealed record SectorCommuneSet(string SectorCode, string Commune, Guid SetBy, DateTimeOffset At);

/// <summary>The council adopted a charter version: from now on, only its signatories have nominative access.</summary>
public sealed record CharterVersionAdopted(string Version, string Fingerprint, Guid? AdoptedBy, DateTimeOffset At);

/// <summary>
/// The council adopted its own charter version within the deployment's bounds: its label, its texts (Markdown, public),
/// its terms (the kept entries of each closed list, the statistics threshold, the retention periods) and the fingerprint
/// signatures cover. Everything the version needs is here: replay never reads a file that may have changed since.
/// </summary>
public sealed record CouncilCharterVersionAdopted(
    string Version, string Fingerprint, string Charte, string Reglement, CharterTerms Terms, Guid AdoptedBy, DateTimeOffset At);

/// <summary>A partner organisation of the council's directory, with a role from the charter's closed list: never a person.</summary>
public sealed record PartnerRegistered(Guid PartnerId, string Organisation, string Role, Guid RegisteredBy, DateTimeOffset At);

public sealed record Partner(Guid Id, string Organisation, string Role);

/// <summary>
/// A CLSPD (or CISPD): the tenant. Each council has exactly one council stream, under the same well-known id
/// in every tenant (stream ids are unique per tenant under conjoined tenancy).
/// </summary>
public sealed class Council
{
    public static readonly Guid StreamId = new("c0a5e000-0000-4000-8000-000000000001");

    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<Sector> Sectors { get; set; } = [];
    public string? CharterVersionInForce { get; set; }
    public string? CharterFingerprint { get; set; }
    public DateTimeOffset? CharterAdoptedAt { get; set; }

    /// <summary>The terms of the council's own version in force; null under the version shipped with the service.</summary>
    public CharterTerms? CharterTerms { get; set; }

    /// <summary>Every version label the council has put in force, oldest first (a label names one version only).</summary>
    public List<string> CharterVersionsAdopted { get; set; } = [];
    public List<Partner> Partners { get; set; } = [];

    public bool HasSector(string? code) => code is not null && Sectors.Any(s => s.Code == code);

    /// <summary>The council's communes: those its sectors name, in French alphabetical order.</summary>
    public IReadOnlyList<string> CommuneNames() =>
        [.. Sectors.Select(s => s.Commune).OfType<string>().Distinct().Order(StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"), true))];

    public bool HasCommune(string? commune) => commune is not null && Sectors.Any(s => s.Commune == commune);

    public void Apply(CouncilEstablished e)
    {
        Code = e.Code;
        Name = e.Name;
        Sectors = [.. e.Sectors];
    }

    public void Apply(SectorAdded e) => Sectors.Add(e.Sector);

    public void Apply(SectorCommuneSet e)
    {
        var index = Sectors.FindIndex(s => s.Code == e.SectorCode);
        if (index >= 0) Sectors[index] = Sectors[index] with { Commune = e.Commune };
    }

    public void Apply(PartnerRegistered e) => Partners.Add(new Partner(e.PartnerId, e.Organisation, e.Role));

    public void Apply(CharterVersionAdopted e)
    {
        CharterVersionInForce = e.Version;
        CharterFingerprint = e.Fingerprint;
        CharterAdoptedAt = e.At;
        CharterTerms = null;
        if (!CharterVersionsAdopted.Contains(e.Version)) CharterVersionsAdopted.Add(e.Version);
    }

    public void Apply(CouncilCharterVersionAdopted e)
    {
        CharterVersionInForce = e.Version;
        CharterFingerprint = e.Fingerprint;
        CharterAdoptedAt = e.At;
        CharterTerms = e.Terms;
        if (!CharterVersionsAdopted.Contains(e.Version)) CharterVersionsAdopted.Add(e.Version);
    }
}
