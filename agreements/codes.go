package agreements

// The errors a person can act on. Each Code is a message ID in locales/; a test checks that
// every language has a message for every one of them.
var (
	ErrAuthRequired      = define(KindUnauthorized, "auth.required")
	ErrForbidden         = define(KindForbidden, "auth.forbidden")
	ErrBadRequest        = define(KindInvalid, "request.malformed")
	ErrNotFound          = define(KindNotFound, "not_found")
	ErrNameRequired      = define(KindInvalid, "name.required")
	ErrNameTooLong       = define(KindInvalid, "name.too_long")
	ErrChildRequired     = define(KindInvalid, "household.required")
	ErrHouseholdExists   = define(KindConflict, "household.exists")
	ErrHouseholdTaken    = define(KindConflict, "household.taken")
	ErrHouseholdChoice   = define(KindInvalid, "household.choice_unknown")
	ErrGradeInvalid      = define(KindInvalid, "class.grade_invalid")
	ErrCodeUnknown       = define(KindNotFound, "code.unknown")
	ErrOrganiserUnknown  = define(KindNotFound, "organiser_code.unknown")
	ErrKindInvalid       = define(KindInvalid, "agreement.kind_invalid")
	ErrLangInvalid       = define(KindInvalid, "agreement.lang_invalid")
	ErrTemplateUnknown   = define(KindInvalid, "template.unknown")
	ErrTemplateKind      = define(KindInvalid, "template.wrong_kind")
	ErrNoTemplates       = define(KindInvalid, "agreement.no_templates")
	ErrNotDraft          = define(KindConflict, "agreement.not_draft")
	ErrStaleRev          = define(KindConflict, "clause.stale")
	ErrClauseUnknown     = define(KindNotFound, "clause.unknown")
	ErrTitleTooLong      = define(KindInvalid, "clause.title_too_long")
	ErrBodyTooLong       = define(KindTooLarge, "clause.body_too_long")
	ErrClauseEmpty       = define(KindInvalid, "clause.empty")
	ErrTooManyClauses    = define(KindInvalid, "clause.too_many")
	ErrValueInvalid      = define(KindInvalid, "clause.value_invalid")
	ErrNoParameter       = define(KindInvalid, "clause.no_parameter")
	ErrOpInvalid         = define(KindInvalid, "op.invalid")
	ErrSeqOld            = define(KindInvalid, "op.seq_old")
	ErrClassLimit        = define(KindTooMany, "class.create_limit")
	ErrKeyLimit          = define(KindTooMany, "class.key_limit")
	ErrSchoolLimit       = define(KindTooMany, "school.create_limit")
	ErrMunicipalityLimit = define(KindTooMany, "municipality.create_limit")
	ErrTooManyAgreements = define(KindConflict, "agreement.too_many")
	ErrNothingToPublish  = define(KindConflict, "agreement.empty")
	ErrCodeKindInvalid   = define(KindInvalid, "code.kind_invalid")
	ErrURLInvalid        = define(KindInvalid, "school.url_invalid")
	ErrClassFull         = define(KindConflict, "class.full")
	ErrHelpTooLong       = define(KindInvalid, "school.help_too_long")
	ErrAgreementTitle    = define(KindInvalid, "agreement.title_too_long")
	ErrVoteRules         = define(KindInvalid, "vote.rules_invalid")
	ErrNotVoting         = define(KindConflict, "vote.not_open")
	ErrVoteClosed        = define(KindConflict, "vote.closed")
	ErrAnswerInvalid     = define(KindInvalid, "vote.answer_invalid")
	ErrReasonTooLong     = define(KindInvalid, "vote.reason_too_long")
	ErrNoVoice           = define(KindForbidden, "vote.no_voice")
	ErrNotAdopted        = define(KindConflict, "agreement.not_adopted")
	ErrNotPublished      = define(KindConflict, "agreement.not_published")
	ErrAlreadyRevised    = define(KindConflict, "agreement.already_revised")
	ErrPercentInvalid    = define(KindInvalid, "signature.percent_invalid")
	ErrActivationInvalid = define(KindInvalid, "signature.activation_invalid")
	ErrNoCheckin         = define(KindConflict, "checkin.none")
	ErrCheckinAnswer     = define(KindInvalid, "checkin.answer_invalid")
	ErrMunicipalityCode  = define(KindNotFound, "municipality.code_unknown")
	ErrMemberUnknown     = define(KindNotFound, "member.unknown")
	ErrLastFacilitator   = define(KindConflict, "member.last_facilitator")
	ErrClauseLocked      = define(KindConflict, "clause.locked")
	ErrHistoryGone       = define(KindConflict, "clause.history_gone")
	ErrRevUnknown        = define(KindNotFound, "clause.rev_unknown")
	ErrAdultsTooMany     = define(KindInvalid, "adults.too_many")
	ErrAdultTooLong      = define(KindInvalid, "adults.too_long")
	ErrInternal          = define("", "internal") // a fault of ours, never a person's doing
)

// The errors of a school's pupil council (council.go).
var (
	ErrNoCouncil            = define(KindNotFound, "council.none")
	ErrCouncilExists        = define(KindConflict, "council.exists")
	ErrCouncilFull          = define(KindConflict, "council.facilitators_full")
	ErrCouncilClassRequired = define(KindInvalid, "council.class_required")
	ErrCouncilClassUnknown  = define(KindInvalid, "council.class_unknown")
	ErrCouncilPupilsOnly    = define(KindInvalid, "council.pupils_only")
	ErrCouncilNoAgreement   = define(KindConflict, "council.no_agreement")
	ErrCouncilTakenUp       = define(KindConflict, "council.taken_up")
)

var registry []*Error

// define makes an Error and records it, so AllErrors needs no second list.
func define(kind Kind, code string) *Error {
	e := Errorf(kind, code)
	registry = append(registry, e)
	return e
}

// AllErrors lists every Error above, for the test that each has a message in every language.
func AllErrors() []*Error { return registry }
