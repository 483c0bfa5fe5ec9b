SELECT
  *
FROM (
  SELECT
    `t1`.`_row`,
    `t1`.`analytics_consent_ok`,
    `t1`.`ads_consent_ok`,
    `t1`.`contact_data_in_event`,
    `t1`.`days_before_analytics_cutoff`,
    `t1`.`erased_subject`,
    (
      `t1`.`analytics_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t1`.`analytics_consent_ok` IN (TRUE), FALSE)
    ) AS `__e0`,
    (
      `t1`.`ads_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t1`.`ads_consent_ok` IN (TRUE), FALSE)
    ) AS `__e1`,
    (
      `t1`.`contact_data_in_event` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t1`.`contact_data_in_event` IN (FALSE), FALSE)
    ) AS `__e2`,
    (
      `t1`.`days_before_analytics_cutoff` IS NOT NULL
    )
    AND NOT (
      COALESCE(TRUE AND (
        `t1`.`days_before_analytics_cutoff` <= 0
      ), FALSE)
    ) AS `__e3`,
    (
      `t1`.`erased_subject` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t1`.`erased_subject` IN (FALSE), FALSE)
    ) AS `__e4`
  FROM (
    SELECT
      `t0`.`_row`,
      IF(
        FALSE
        OR COALESCE(
          COALESCE(
            IF(
              (
                `t0`.`user_pseudo_id` >= '!'
              ) AND (
                `t0`.`user_pseudo_id` <= '~'
              ),
              TRUE,
              REGEXP_CONTAINS(
                `t0`.`user_pseudo_id`,
                '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
              )
            ),
            FALSE
          )
          AND NOT (
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          (
            COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              COALESCE(
                IF(
                  INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
                  REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
                  FALSE
                ),
                FALSE
              ),
              FALSE
            )
          )
          AND NOT (
            FALSE
          ),
          FALSE
        ),
        CAST(NULL AS BOOL),
        IF(
          COALESCE(
            COALESCE(
              IF(
                (
                  `t0`.`user_pseudo_id` >= '!'
                ) AND (
                  `t0`.`user_pseudo_id` <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  `t0`.`user_pseudo_id`,
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            ),
            FALSE
          ),
          COALESCE(
            COALESCE(
              LOWER(
                REGEXP_REPLACE(
                  CAST(NULL AS STRING),
                  '^[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+|[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+$',
                  ''
                )
              ) IN ('ja', 'true', 'y', 'yes'),
              FALSE
            ),
            FALSE
          ),
          CAST(NULL AS BOOL)
        )
      ) AS `analytics_consent_ok`,
      IF(
        FALSE
        OR COALESCE(
          COALESCE(
            IF(
              (
                `t0`.`user_pseudo_id` >= '!'
              ) AND (
                `t0`.`user_pseudo_id` <= '~'
              ),
              TRUE,
              REGEXP_CONTAINS(
                `t0`.`user_pseudo_id`,
                '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
              )
            ),
            FALSE
          )
          AND NOT (
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          (
            COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              COALESCE(
                IF(
                  INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
                  REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
                  FALSE
                ),
                FALSE
              ),
              FALSE
            )
          )
          AND NOT (
            FALSE
          ),
          FALSE
        ),
        CAST(NULL AS BOOL),
        IF(
          COALESCE(
            COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              COALESCE(
                IF(
                  INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
                  REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
                  FALSE
                ),
                FALSE
              ),
              FALSE
            ),
            FALSE
          ),
          COALESCE(
            COALESCE(
              LOWER(
                REGEXP_REPLACE(
                  CAST(NULL AS STRING),
                  '^[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+|[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+$',
                  ''
                )
              ) IN ('ja', 'true', 'y', 'yes'),
              FALSE
            ),
            FALSE
          ),
          CAST(NULL AS BOOL)
        )
      ) AS `ads_consent_ok`,
      COALESCE(
        COALESCE(
          IF(
            (
              `t0`.`user_pseudo_id` >= '!'
            ) AND (
              `t0`.`user_pseudo_id` <= '~'
            ),
            TRUE,
            REGEXP_CONTAINS(
              `t0`.`user_pseudo_id`,
              '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
            )
          ),
          FALSE
        )
        AND NOT (
          FALSE
        ),
        FALSE
      ) AS `__gap_0`,
      COALESCE(
        (
          COALESCE(
            IF(
              (
                CAST(NULL AS STRING) >= '!'
              ) AND (
                CAST(NULL AS STRING) <= '~'
              ),
              TRUE,
              REGEXP_CONTAINS(
                CAST(NULL AS STRING),
                '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
              )
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              (
                CAST(NULL AS STRING) >= '!'
              ) AND (
                CAST(NULL AS STRING) <= '~'
              ),
              TRUE,
              REGEXP_CONTAINS(
                CAST(NULL AS STRING),
                '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
              )
            ),
            FALSE
          )
          OR COALESCE(
            COALESCE(
              IF(
                INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
                REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
                FALSE
              ),
              FALSE
            ),
            FALSE
          )
        )
        AND NOT (
          FALSE
        ),
        FALSE
      ) AS `__gap_1`,
      NOT (
        FALSE
        OR COALESCE(
          COALESCE(
            IF(
              (
                `t0`.`user_pseudo_id` >= '!'
              ) AND (
                `t0`.`user_pseudo_id` <= '~'
              ),
              TRUE,
              REGEXP_CONTAINS(
                `t0`.`user_pseudo_id`,
                '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
              )
            ),
            FALSE
          )
          AND NOT (
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          (
            COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                (
                  CAST(NULL AS STRING) >= '!'
                ) AND (
                  CAST(NULL AS STRING) <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  CAST(NULL AS STRING),
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              COALESCE(
                IF(
                  INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
                  REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
                  FALSE
                ),
                FALSE
              ),
              FALSE
            )
          )
          AND NOT (
            FALSE
          ),
          FALSE
        )
      ) AS `__judged_0`,
      IF(FALSE OR COALESCE(TRUE, FALSE), CAST(NULL AS BOOL), COALESCE(FALSE, FALSE)) AS `contact_data_in_event`,
      COALESCE(TRUE, FALSE) AS `__gap_2`,
      NOT (
        FALSE OR COALESCE(TRUE, FALSE)
      ) AS `__judged_1`,
      IF(
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        ),
        CAST(NULL AS INT64),
        20299 - CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64)
      ) AS `days_before_analytics_cutoff`,
      COALESCE(
        CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
        FALSE
      ) AS `__gap_3`,
      NOT (
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t0`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        )
      ) AS `__judged_2`,
      IF(FALSE OR COALESCE(TRUE, FALSE), CAST(NULL AS BOOL), CAST(NULL AS BOOL)) AS `erased_subject`,
      COALESCE(TRUE, FALSE) AS `__gap_4`,
      NOT (
        FALSE OR COALESCE(TRUE, FALSE)
      ) AS `__judged_3`
    FROM `src` AS `t0`
  ) AS `t1`
) AS `t2`
WHERE
  FALSE
  OR COALESCE(`t2`.`__e0`, FALSE)
  OR COALESCE(`t2`.`__e1`, FALSE)
  OR COALESCE(`t2`.`__e2`, FALSE)
  OR COALESCE(`t2`.`__e3`, FALSE)
  OR COALESCE(`t2`.`__e4`, FALSE)
