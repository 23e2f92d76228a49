using System.Text.Json.Nodes;
using CaseExchange.Charter;

namespace CaseExchange.Tests.Charter;

public sealed class CharterPolicyTests
{
    private static string ShippedCharter => Path.Combine(AppContext.BaseDirectory, "charter");

    [Fact]
    public void The_shipped_charter_loads_with_its_texts_and_a_fingerprint()
    {
        var policy = CharterPolicy.Load(ShippedCharter);
        Assert.Equal("2026.1", policy.Version);
        Assert.Contains("Charte", policy.FullText);
        Assert.Equal(64, policy.Fingerprint.Length);
        Assert.Equal(5, policy.Statistics.MinimumCount);
        Assert.All(policy.IdentityFields, f => Assert.True(f.Nominative));
    }

    [Theory]
    [InlineData("president", "open-nominative-files")]
    [InlineData("auditeur", "open-nominative-files")]
    [InlineData("auditeur", "refer-situations")]
    [InlineData("president", "read-anonymised-situations")]
    [InlineData("president", "read-groups")]
    public void A_policy_granting_nominative_access_to_auditors_or_the_president_stops_the_service(string role, string capability)
    {
        var directory = CopyWith(json => json["roles"]![role]!["capabilities"]!.AsArray().Add(capability));
        var error = Assert.Throws<CharterPolicyException>(() => CharterPolicy.Load(directory));
        Assert.Contains(role, error.Message);
    }

    [Fact]
    public void A_policy_that_declares_an_identity_field_not_nominative_stops_the_service()
    {
        var directory = CopyWith(json => json["identityFields"]![0]!["nominative"] = false);
        Assert.Throws<CharterPolicyException>(() => CharterPolicy.Load(directory));
    }

    [Fact]
    public void A_statistics_threshold_that_could_single_someone_out_stops_the_service()
    {
        var directory = CopyWith(json => json["statistics"]!["minimumCount"] = 1);
        Assert.Throws<CharterPolicyException>(() => CharterPolicy.Load(directory));
    }

    [Theory]
    [InlineData(12, "0-12")]
    [InlineData(13, "13-15")]
    [InlineData(17, "16-17")]
    [InlineData(24, "18-24")]
    [InlineData(25, "25+")]
    public void Age_bands_follow_the_charter(int age, string band)
    {
        var policy = CharterPolicy.Load(ShippedCharter);
        var today = new DateOnly(2026, 6, 15);
        Assert.Equal(band, policy.AgeBandOf(today.AddYears(-age), today));
    }

    [Fact]
    public void The_age_changes_on_the_birthday_not_before()
    {
        var policy = CharterPolicy.Load(ShippedCharter);
        var today = new DateOnly(2026, 6, 15);
        Assert.Equal("0-12", policy.AgeBandOf(today.AddYears(-13).AddDays(1), today));
        Assert.Equal("13-15", policy.AgeBandOf(today.AddYears(-13), today));
    }

    private static string CopyWith(Action<JsonNode> change)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"charter-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(ShippedCharter)) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "policy.json")))!;
        change(json);
        File.WriteAllText(Path.Combine(directory, "policy.json"), json.ToJsonString());
        return directory;
    }
}
