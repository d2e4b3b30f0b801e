package search_test

// sampleQueries are 20 searches a practice manager might make on the sample
// site, with the five pages we expect first, in order. The browser test
// (TestSearchScript) runs them through static/js/search.js;
// LMCPRESS_DUMP_QUERIES=1 makes it print the answers in this form.
var sampleQueries = []struct {
	q    string
	want []string
}{
	{`subject access request`, []string{`/advice/subject-access-requests/`, `/news/sar-model-letter-published/`, `/events/sar-course-2016/`, `/newsletters/2025-11/`, `/events/practice-managers-conference-2027/`}},
	{`SAR model letter`, []string{`/advice/subject-access-requests/`}},
	{`vacc`, []string{`/news/flu-vaccine-ordering-2017/`, `/news/vaccination-season-payment-queries/`, `/newsletters/2025-10/`}},
	{`vacination`, []string{`/news/vaccination-season-payment-queries/`, `/newsletters/2025-10/`, `/news/flu-vaccine-ordering-2017/`}},
	{`flu vaccine`, []string{`/news/flu-vaccine-ordering-2017/`}},
	{`locum pensions`, []string{`/guidance/locum-gp-invoicing-and-pensions/`, `/advice/sessional-gp-contracts/`, `/news/standing-up-for-sessional-gps/`, `/events/sessional-gp-evening-2017/`, `/news/sessional-gp-forum-autumn-2025/`}},
	{`salaried GP contract`, []string{`/advice/sessional-gp-contracts/`, `/guidance/employing-salaried-gps/`, `/guidance/gms-contract-changes-2019/`, `/news/sessional-gp-forum-autumn-2025/`, `/news/standing-up-for-sessional-gps/`}},
	{`CQC inspection`, []string{`/guidance/cqc-inspection-preparation/`, `/advice/cqc-registration-changes/`, `/guidance/cqc-registered-manager/`}},
	{`registered manager`, []string{`/guidance/cqc-registered-manager/`, `/advice/cqc-registration-changes/`, `/events/practice-managers-conference-2027/`, `/news/practice-managers-conference-2027/`, `/guidance/cqc-inspection-preparation/`}},
	{`practice boundaries`, []string{`/advice/practice-boundaries/`, `/guidance/gms-contract-changes-2019/`, `/news/primary-care-networks-go-live/`}},
	{`out of area registration`, []string{`/advice/practice-boundaries/`}},
	{`privacy notice`, []string{`/guidance/gdpr-practice-privacy-notices/`, `/privacy/`, `/news/gp-data-for-planning-and-research/`, `/news/gdpr-comes-into-force/`, `/guidance/data-protection-officers/`}},
	{`data protection officer`, []string{`/guidance/data-protection-officers/`, `/news/gdpr-comes-into-force/`, `/guidance/gdpr-practice-privacy-notices/`, `/news/sar-model-letter-published/`}},
	{`partnership agreement`, []string{`/guidance/partnership-agreements/`, `/guidance/gms-contract-changes-2019/`, `/gp-support/`}},
	{`"instant messaging"`, []string{`/advice/systmone-instant-messaging/`, `/news/gdpr-comes-into-force/`}},
	{`organization`, []string{`/guidance/gms-contract-changes-2019/`, `/advice/subject-access-requests/`, `/guidance/arrs-roles-integration/`, `/advice/systmone-instant-messaging/`, `/gp-support/`}},
	{`workload survey`, []string{`/news/workload-survey-2026-results/`, `/advice/managing-workload/`}},
	{`patient participation group`, []string{`/news/guest-blog-successful-patient-participation-group/`, `/news/patient-engagement-survey-2016/`, `/news/collective-action-guidance/`}},
	{`online consultation core hours`, []string{`/news/online-access-core-hours/`, `/news/contract-2025-26/`}},
	{`additional roles`, []string{`/guidance/arrs-roles-integration/`, `/guidance/gms-contract-changes-2019/`, `/news/workload-survey-2026-results/`, `/advice/managing-workload/`}},
}

func quoteGo(s string) string { return "`" + s + "`" }
