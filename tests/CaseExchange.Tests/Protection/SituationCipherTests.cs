using System.Security.Cryptography;
using CaseExchange.Protection;

namespace CaseExchange.Tests.Protection;

public sealed class SituationCipherTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid Situation = Guid.NewGuid();

    [Fact]
    public void A_sealed_value_opens_with_its_key_council_situation_and_field()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var sealedText = cipher.Seal(SealedFields.Facts, "Faits très confidentiels");
        Assert.StartsWith("v1:", sealedText.Value);
        Assert.DoesNotContain("confidentiels", sealedText.Value);
        Assert.Equal("Faits très confidentiels", cipher.Open(SealedFields.Facts, sealedText));
        Assert.Equal("[sealed]", sealedText.ToString());
    }

    [Fact]
    public void Sealing_twice_gives_two_different_ciphertexts()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        Assert.NotEqual(cipher.Seal(SealedFields.Facts, "même texte").Value, cipher.Seal(SealedFields.Facts, "même texte").Value);
    }

    [Fact]
    public void A_sealed_value_moved_to_another_field_situation_or_council_does_not_open()
    {
        var sealedText = new SituationCipher(Key, "ville", Situation).Seal(SealedFields.Facts, "Faits");
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "ville", Situation).Open(SealedFields.ClosureComment, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "ville", Guid.NewGuid()).Open(SealedFields.Facts, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "autre-ville", Situation).Open(SealedFields.Facts, sealedText));
    }

    [Fact]
    public void A_tampered_or_foreign_key_ciphertext_does_not_open()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var sealedText = cipher.Seal(SealedFields.Facts, "Faits");
        var bytes = Convert.FromBase64String(sealedText.Value[3..]);
        bytes[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(SealedFields.Facts, new SealedText("v1:" + Convert.ToBase64String(bytes))));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(RandomNumberGenerator.GetBytes(32), "ville", Situation).Open(SealedFields.Facts, sealedText));
    }
}
