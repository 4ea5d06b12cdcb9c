/*
 * ctl_import_words.h: the words of matchctl import's report, in English
 * and in Chinese (client/ctl_import_words.c).
 */
#ifndef CLIENT_CTL_IMPORT_WORDS_H
#define CLIENT_CTL_IMPORT_WORDS_H

/* printf formats and phrases of the report and its errors. */
struct import_words {
	const char	*ok_id, *ok, *refused, *summary, *needs,
			*offers, *converted, *fields, *twice, *not_csv,
			*usage, *no_header, *no_connect, *neither,
			*neither_same, *oom, *lost, *bad_answer;
};

extern const struct import_words import_words_en, import_words_zh;

/*
 * Chinese when lang says zh, or without lang (NULL) when the first of
 * LC_ALL, LC_MESSAGES and LANG that is set names a Chinese locale
 * (zh_CN.UTF-8); else English.
 */
const struct import_words *import_words_for(const char *lang);

/* A daemon error code or a CSV reader's complaint in Chinese, or NULL. */
const char	*import_zh_term(const char *en);

#endif
