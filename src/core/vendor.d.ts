// Type declarations for packages that ship none.
declare module 'wink-lemmatizer' {
  const lemmatize: {
    /** Base form of an English verb ("shot" -> "shoot"); the word itself when unknown. */
    verb(word: string): string;
    /** Singular of an English noun ("attacks" -> "attack"). */
    noun(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatize;
}
