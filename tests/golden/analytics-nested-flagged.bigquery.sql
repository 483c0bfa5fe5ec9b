WITH `t1` AS (
  SELECT
    (
      ROW_NUMBER() OVER (
        ORDER BY `t0`.`event_timestamp` ASC, `t0`.`user_pseudo_id` ASC, `t0`.`event_name` ASC
      ) - 1
    ) + 1 AS `_row`,
    `t0`.`event_date`,
    `t0`.`event_timestamp`,
    `t0`.`event_name`,
    `t0`.`user_pseudo_id`,
    `t0`.`user_id`,
    COALESCE(
      ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_location'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`string_value`,
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_location'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`int_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_location'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`double_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_location'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`float_value` AS STRING)
    ) AS `page_location`,
    COALESCE(
      ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_referrer'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`string_value`,
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_referrer'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`int_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_referrer'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`double_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'page_referrer'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`float_value` AS STRING)
    ) AS `page_referrer`,
    COALESCE(
      ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'gclid'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`string_value`,
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'gclid'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`int_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'gclid'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`double_value` AS STRING),
      CAST(ARRAY(
        SELECT
          __ibis_param_p__.`value`
        FROM UNNEST(ARRAY(
          SELECT
            __ibis_param_p__
          FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
          WHERE
            __ibis_param_p__.`key` = 'gclid'
        )) AS __ibis_param_p__
      )[safe_offset(0)].`float_value` AS STRING)
    ) AS `param_gclid`,
    `t0`.`privacy_info`.`analytics_storage` AS `analytics_storage`,
    `t0`.`privacy_info`.`ads_storage` AS `ads_storage`,
    `t0`.`collected_traffic_source`.`gclid` AS `gclid`
  FROM `events` AS `t0`
)
SELECT
  *
FROM (
  SELECT
    `t17`.`_row`,
    `t17`.`analytics_consent_ok`,
    `t17`.`ads_consent_ok`,
    `t17`.`contact_data_in_event`,
    `t17`.`days_before_analytics_cutoff`,
    `t17`.`erased_subject`,
    (
      `t17`.`analytics_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t17`.`analytics_consent_ok` IN (TRUE), FALSE)
    ) AS `__e0`,
    (
      `t17`.`ads_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t17`.`ads_consent_ok` IN (TRUE), FALSE)
    ) AS `__e1`,
    (
      `t17`.`contact_data_in_event` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t17`.`contact_data_in_event` IN (FALSE), FALSE)
    ) AS `__e2`,
    (
      `t17`.`days_before_analytics_cutoff` IS NOT NULL
    )
    AND NOT (
      COALESCE(TRUE AND (
        `t17`.`days_before_analytics_cutoff` <= 0
      ), FALSE)
    ) AS `__e3`,
    (
      `t17`.`erased_subject` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t17`.`erased_subject` IN (FALSE), FALSE)
    ) AS `__e4`
  FROM (
    SELECT
      `t16`.`_row`,
      IF(
        FALSE,
        CAST(NULL AS BOOL),
        IF(
          COALESCE(
            COALESCE(
              IF(
                (
                  `t16`.`user_pseudo_id` >= '!'
                ) AND (
                  `t16`.`user_pseudo_id` <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  `t16`.`user_pseudo_id`,
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            ),
            FALSE
          ),
          COALESCE(`t16`.`__yes_analytics_storage`, FALSE),
          CAST(NULL AS BOOL)
        )
      ) AS `analytics_consent_ok`,
      IF(
        FALSE,
        CAST(NULL AS BOOL),
        IF(
          COALESCE(
            COALESCE(
              IF(
                (
                  `t16`.`gclid` >= '!'
                ) AND (
                  `t16`.`gclid` <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  `t16`.`gclid`,
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                (
                  `t16`.`param_gclid` >= '!'
                ) AND (
                  `t16`.`param_gclid` <= '~'
                ),
                TRUE,
                REGEXP_CONTAINS(
                  `t16`.`param_gclid`,
                  '[^\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]'
                )
              ),
              FALSE
            )
            OR COALESCE(`t16`.`__gclid_in_url`, FALSE),
            FALSE
          ),
          COALESCE(`t16`.`__yes_ads_storage`, FALSE),
          CAST(NULL AS BOOL)
        )
      ) AS `ads_consent_ok`,
      NOT (
        FALSE
      ) AS `__judged_0`,
      IF(
        FALSE,
        CAST(NULL AS BOOL),
        COALESCE(
          FALSE
          OR `t16`.`__contact_page_location`
          OR `t16`.`__contact_page_referrer`
          OR (
            COALESCE(
              IF(
                (
                  INSTR(`t16`.`user_id`, '@') > 0
                ) OR (
                  INSTR(`t16`.`user_id`, '%') > 0
                ),
                REGEXP_CONTAINS(
                  IF(
                    INSTR(`t16`.`user_id`, '%') > 0,
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(
                                        REPLACE(REPLACE(REPLACE(`t16`.`user_id`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                        '%2b',
                                        '+'
                                      ),
                                      '%2E',
                                      '.'
                                    ),
                                    '%2e',
                                    '.'
                                  ),
                                  '%2D',
                                  '-'
                                ),
                                '%2d',
                                '-'
                              ),
                              '%5F',
                              '_'
                            ),
                            '%5f',
                            '_'
                          ),
                          '%20',
                          ' '
                        ),
                        '%28',
                        '('
                      ),
                      '%29',
                      ')'
                    ),
                    `t16`.`user_id`
                  ),
                  '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
                ),
                FALSE
              ),
              FALSE
            )
            OR COALESCE(
              IF(
                FALSE
                OR COALESCE(INSTR(`t16`.`user_id`, '+') > 0, FALSE)
                OR COALESCE(INSTR(`t16`.`user_id`, '00') > 0, FALSE)
                OR COALESCE(INSTR(`t16`.`user_id`, '%') > 0, FALSE)
                OR COALESCE(INSTR(LOWER(`t16`.`user_id`), 'phone') > 0, FALSE)
                OR COALESCE(INSTR(LOWER(`t16`.`user_id`), 'tel') > 0, FALSE)
                OR COALESCE(INSTR(LOWER(`t16`.`user_id`), 'tlf') > 0, FALSE)
                OR COALESCE(INSTR(LOWER(`t16`.`user_id`), 'mobil') > 0, FALSE),
                REGEXP_CONTAINS(
                  IF(
                    INSTR(`t16`.`user_id`, '%') > 0,
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(
                                        REPLACE(REPLACE(REPLACE(`t16`.`user_id`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                        '%2b',
                                        '+'
                                      ),
                                      '%2E',
                                      '.'
                                    ),
                                    '%2e',
                                    '.'
                                  ),
                                  '%2D',
                                  '-'
                                ),
                                '%2d',
                                '-'
                              ),
                              '%5F',
                              '_'
                            ),
                            '%5f',
                            '_'
                          ),
                          '%20',
                          ' '
                        ),
                        '%28',
                        '('
                      ),
                      '%29',
                      ')'
                    ),
                    `t16`.`user_id`
                  ),
                  '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
                ),
                FALSE
              ),
              FALSE
            )
          ),
          FALSE
        )
      ) AS `contact_data_in_event`,
      NOT (
        FALSE
      ) AS `__judged_1`,
      IF(
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t16`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        ),
        CAST(NULL AS INT64),
        20299 - CAST(FLOOR(ieee_divide(CAST(`t16`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64)
      ) AS `days_before_analytics_cutoff`,
      COALESCE(
        CAST(FLOOR(ieee_divide(CAST(`t16`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
        FALSE
      ) AS `__gap_0`,
      NOT (
        FALSE
        OR COALESCE(
          CAST(FLOOR(ieee_divide(CAST(`t16`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
          FALSE
        )
      ) AS `__judged_2`,
      IF(FALSE OR COALESCE(TRUE, FALSE), CAST(NULL AS BOOL), CAST(NULL AS BOOL)) AS `erased_subject`,
      COALESCE(TRUE, FALSE) AS `__gap_1`,
      NOT (
        FALSE OR COALESCE(TRUE, FALSE)
      ) AS `__judged_3`
    FROM (
      SELECT
        `t3`.`_row`,
        `t3`.`event_date`,
        `t3`.`event_timestamp`,
        `t3`.`event_name`,
        `t3`.`user_pseudo_id`,
        `t3`.`user_id`,
        `t3`.`page_location`,
        `t3`.`page_referrer`,
        `t3`.`param_gclid`,
        `t3`.`analytics_storage`,
        `t3`.`ads_storage`,
        `t3`.`gclid`,
        IF(
          `t3`.`page_location` IS NULL,
          COALESCE(
            IF(
              INSTR(LOWER(CAST(NULL AS STRING)), 'gclid=') > 0,
              REGEXP_CONTAINS(CAST(NULL AS STRING), '(?i)[?&]gclid=[^&# ]'),
              FALSE
            ),
            FALSE
          ),
          `t14`.`__gclid_in_url`
        ) AS `__gclid_in_url`,
        IF(
          `t3`.`page_location` IS NULL,
          COALESCE(
            IF(
              (
                INSTR(CAST(NULL AS STRING), '@') > 0
              )
              OR (
                INSTR(CAST(NULL AS STRING), '%') > 0
              ),
              REGEXP_CONTAINS(
                IF(
                  INSTR(CAST(NULL AS STRING), '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(CAST(NULL AS STRING), '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  CAST(NULL AS STRING)
                ),
                '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
              ),
              FALSE
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              FALSE
              OR COALESCE(INSTR(CAST(NULL AS STRING), '+') > 0, FALSE)
              OR COALESCE(INSTR(CAST(NULL AS STRING), '00') > 0, FALSE)
              OR COALESCE(INSTR(CAST(NULL AS STRING), '%') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'phone') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'tel') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'tlf') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'mobil') > 0, FALSE),
              REGEXP_CONTAINS(
                IF(
                  INSTR(CAST(NULL AS STRING), '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(CAST(NULL AS STRING), '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  CAST(NULL AS STRING)
                ),
                '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
              ),
              FALSE
            ),
            FALSE
          ),
          `t14`.`__contact_page_location`
        ) AS `__contact_page_location`,
        IF(
          `t3`.`analytics_storage` IS NULL,
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
          `t10`.`__yes_analytics_storage`
        ) AS `__yes_analytics_storage`,
        IF(
          `t3`.`ads_storage` IS NULL,
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
          `t11`.`__yes_ads_storage`
        ) AS `__yes_ads_storage`,
        IF(
          `t3`.`page_referrer` IS NULL,
          COALESCE(
            IF(
              (
                INSTR(CAST(NULL AS STRING), '@') > 0
              )
              OR (
                INSTR(CAST(NULL AS STRING), '%') > 0
              ),
              REGEXP_CONTAINS(
                IF(
                  INSTR(CAST(NULL AS STRING), '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(CAST(NULL AS STRING), '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  CAST(NULL AS STRING)
                ),
                '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
              ),
              FALSE
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              FALSE
              OR COALESCE(INSTR(CAST(NULL AS STRING), '+') > 0, FALSE)
              OR COALESCE(INSTR(CAST(NULL AS STRING), '00') > 0, FALSE)
              OR COALESCE(INSTR(CAST(NULL AS STRING), '%') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'phone') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'tel') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'tlf') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(CAST(NULL AS STRING)), 'mobil') > 0, FALSE),
              REGEXP_CONTAINS(
                IF(
                  INSTR(CAST(NULL AS STRING), '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(CAST(NULL AS STRING), '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  CAST(NULL AS STRING)
                ),
                '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
              ),
              FALSE
            ),
            FALSE
          ),
          `t15`.`__contact_page_referrer`
        ) AS `__contact_page_referrer`
      FROM `t1` AS `t3`
      LEFT OUTER JOIN (
        SELECT
          `t4`.`__value`,
          COALESCE(
            IF(
              INSTR(LOWER(`t4`.`__value`), 'gclid=') > 0,
              REGEXP_CONTAINS(`t4`.`__value`, '(?i)[?&]gclid=[^&# ]'),
              FALSE
            ),
            FALSE
          ) AS `__gclid_in_url`,
          COALESCE(
            IF(
              (
                INSTR(`t4`.`__value`, '@') > 0
              ) OR (
                INSTR(`t4`.`__value`, '%') > 0
              ),
              REGEXP_CONTAINS(
                IF(
                  INSTR(`t4`.`__value`, '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(`t4`.`__value`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  `t4`.`__value`
                ),
                '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
              ),
              FALSE
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              FALSE
              OR COALESCE(INSTR(`t4`.`__value`, '+') > 0, FALSE)
              OR COALESCE(INSTR(`t4`.`__value`, '00') > 0, FALSE)
              OR COALESCE(INSTR(`t4`.`__value`, '%') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t4`.`__value`), 'phone') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t4`.`__value`), 'tel') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t4`.`__value`), 'tlf') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t4`.`__value`), 'mobil') > 0, FALSE),
              REGEXP_CONTAINS(
                IF(
                  INSTR(`t4`.`__value`, '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(`t4`.`__value`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  `t4`.`__value`
                ),
                '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
              ),
              FALSE
            ),
            FALSE
          ) AS `__contact_page_location`
        FROM (
          SELECT DISTINCT
            `t2`.`page_location` AS `__value`
          FROM `t1` AS `t2`
        ) AS `t4`
      ) AS `t14`
        ON `t3`.`page_location` = `t14`.`__value`
      LEFT OUTER JOIN (
        SELECT
          `t5`.`__value`,
          COALESCE(
            LOWER(
              REGEXP_REPLACE(
                `t5`.`__value`,
                '^[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+|[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+$',
                ''
              )
            ) IN ('ja', 'true', 'y', 'yes'),
            FALSE
          ) AS `__yes_analytics_storage`
        FROM (
          SELECT DISTINCT
            `t2`.`analytics_storage` AS `__value`
          FROM `t1` AS `t2`
        ) AS `t5`
      ) AS `t10`
        ON `t3`.`analytics_storage` = `t10`.`__value`
      LEFT OUTER JOIN (
        SELECT
          `t6`.`__value`,
          COALESCE(
            LOWER(
              REGEXP_REPLACE(
                `t6`.`__value`,
                '^[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+|[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+$',
                ''
              )
            ) IN ('ja', 'true', 'y', 'yes'),
            FALSE
          ) AS `__yes_ads_storage`
        FROM (
          SELECT DISTINCT
            `t2`.`ads_storage` AS `__value`
          FROM `t1` AS `t2`
        ) AS `t6`
      ) AS `t11`
        ON `t3`.`ads_storage` = `t11`.`__value`
      LEFT OUTER JOIN (
        SELECT
          `t7`.`__value`,
          COALESCE(
            IF(
              (
                INSTR(`t7`.`__value`, '@') > 0
              ) OR (
                INSTR(`t7`.`__value`, '%') > 0
              ),
              REGEXP_CONTAINS(
                IF(
                  INSTR(`t7`.`__value`, '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(`t7`.`__value`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  `t7`.`__value`
                ),
                '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
              ),
              FALSE
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              FALSE
              OR COALESCE(INSTR(`t7`.`__value`, '+') > 0, FALSE)
              OR COALESCE(INSTR(`t7`.`__value`, '00') > 0, FALSE)
              OR COALESCE(INSTR(`t7`.`__value`, '%') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t7`.`__value`), 'phone') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t7`.`__value`), 'tel') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t7`.`__value`), 'tlf') > 0, FALSE)
              OR COALESCE(INSTR(LOWER(`t7`.`__value`), 'mobil') > 0, FALSE),
              REGEXP_CONTAINS(
                IF(
                  INSTR(`t7`.`__value`, '%') > 0,
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(
                                      REPLACE(REPLACE(REPLACE(`t7`.`__value`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                      '%2b',
                                      '+'
                                    ),
                                    '%2E',
                                    '.'
                                  ),
                                  '%2e',
                                  '.'
                                ),
                                '%2D',
                                '-'
                              ),
                              '%2d',
                              '-'
                            ),
                            '%5F',
                            '_'
                          ),
                          '%5f',
                          '_'
                        ),
                        '%20',
                        ' '
                      ),
                      '%28',
                      '('
                    ),
                    '%29',
                    ')'
                  ),
                  `t7`.`__value`
                ),
                '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
              ),
              FALSE
            ),
            FALSE
          ) AS `__contact_page_referrer`
        FROM (
          SELECT DISTINCT
            `t2`.`page_referrer` AS `__value`
          FROM `t1` AS `t2`
        ) AS `t7`
      ) AS `t15`
        ON `t3`.`page_referrer` = `t15`.`__value`
    ) AS `t16`
  ) AS `t17`
) AS `t18`
WHERE
  FALSE
  OR COALESCE(`t18`.`__e0`, FALSE)
  OR COALESCE(`t18`.`__e1`, FALSE)
  OR COALESCE(`t18`.`__e2`, FALSE)
  OR COALESCE(`t18`.`__e3`, FALSE)
  OR COALESCE(`t18`.`__e4`, FALSE);
